import type { Period } from '../profile.js';
import type { ProtectionStepRule } from '../protection-steps.js';

// What follows a protection decision under the Law on Denunciation (ch. VI), as the
// stored texts give it (docs/LAW-VN.md §12). Art. 54 of Law 25/2018 (base text, Bộ pháp
// điển 18.5.LQ.54): the body that decided may change or add measures "nếu xét thấy cần
// thiết hoặc trên cơ sở đề nghị bằng văn bản của người được bảo vệ" (cl. 1); protection ends
// when the conclusion or the decision to discontinue is issued (cl. 2(a)), or by the body's
// decision when the grounds are gone or on the protected person's written request (cl. 2(b));
// the decision to change, add or end is sent to the protected person (cl. 3). Law 136/2025
// adds ending when the protected person deliberately breaches their obligations (Art. 48(2));
// its article text was not found in the stored sources (secondary: laodong.vn).

const LAW = 'Luật Tố cáo 2018';
const wd = (amount: number): Period => ({ amount, unit: 'working_days' });

const initiative = (law: string) => [
  { ground: 'on_initiative', legalBasis: `${law} Art. 54(1) ("xét thấy cần thiết")` },
  { ground: 'on_request', legalBasis: `${law} Art. 54(1) (written request of the protected person)` },
] as const;

function stepsUnder(law: string, breach: boolean): ProtectionStepRule[] {
  return [
    { step: 'change', grounds: initiative(law), legalBasis: `${law} Art. 54(1), 54(3)` },
    { step: 'add', grounds: initiative(law), legalBasis: `${law} Art. 54(1), 54(3)` },
    {
      step: 'end', legalBasis: `${law} Art. 54(2)–(3)`, grounds: [
        { ground: 'conclusion', legalBasis: `${law} Art. 54(2)(a) (the conclusion issued)` },
        { ground: 'termination', legalBasis: `${law} Art. 54(2)(a) (the decision to discontinue issued)` },
        { ground: 'grounds_gone', legalBasis: `${law} Art. 54(2)(b) (the grounds for protection no longer exist)` },
        { ground: 'on_request', legalBasis: `${law} Art. 54(2)(b) (written request of the protected person)` },
        ...(breach ? [{ ground: 'breach' as const, legalBasis: 'Luật 136/2025/QH15 Art. 3 (deliberate breach of the obligations of Art. 48(2); article text to verify)' }] : []),
      ],
    },
    { step: 'confirm_writing', grounds: [], legalBasis: `${law} Art. 50(3) ("sau đó nội dung đề nghị phải được thể hiện bằng văn bản")` },
  ];
}

/**
 * Law Art. 50(3) says only "sau đó" (afterwards): no text in the stored sources (the Law,
 * Decree 31, Decree 156, Circulars 03/2020/TT-BNV, 08/2020/TT-BLĐTBXH, 145/2020/TT-BCA)
 * sets a period. Five working days is the agency's default follow-up, not a legal period.
 */
const confirmInWriting = { within: wd(5), legalBasis: `${LAW} Art. 50(3) (the law sets no period: 5 working days is an agency default)` };

export const vn2018ProtectionSteps = { steps: stepsUnder(LAW, false), confirmInWriting };
export const vn2026ProtectionSteps = { steps: stepsUnder('Luật Tố cáo 2018 (sửa đổi 2025)', true), confirmInWriting };
