import type { TransitionRule } from '../profile.js';

// Anonymous information, a false name, a non-conforming form (Law Art. 25; Decree 31 Art.
// 20): not settled under the Law, so no statutory clock and no formal notice; the
// denouncer still reads its state and the agency's messages by receipt. Into the track:
// the intake officer's classification (Art. 24(1)) from RECEIVED or TRIAGE, naming the
// limb of Art. 25(1) that applies, signed; it stops the triage clock. Out of it
// (Art. 25(2)): only information that clearly names the violator, carries concrete
// documents or evidence and gives a basis to verify goes on — the head decides an
// inspection or a check within the agency's competence (Decree 31 Art. 20(2)), or it is
// transferred to the competent body; anything else is not processed. Each outcome ends
// the case here: an inspection or check follows the inspection laws, outside tipline.

const LAW = 'Luật Tố cáo 2018 (sửa đổi 2025)';
const ND = 'Nghị định 31/2019 (sửa đổi bởi Nghị định 156/2026)';
const ART25 = `${LAW} Art. 25(1)`;
const GOES_ON = `${LAW} Art. 25(2); ${ND} Art. 20(2)`;

export const informationTrack: TransitionRule[] = [
  {
    action: 'classify_information', from: ['RECEIVED', 'TRIAGE'], to: 'INFORMATION', roles: ['intake', 'supervisor'], notice: false,
    legalBasis: `${LAW} Art. 24(1) (phân loại); ${ND} Art. 20(1)`, setsKind: 'information', clock: { kind: 'stop' },
    grounds: [
      { ground: 'no_name', legalBasis: `${ART25}: không rõ họ tên, địa chỉ của người tố cáo` },
      { ground: 'unidentified', legalBasis: `${ART25}: qua kiểm tra, xác minh không xác định được người tố cáo` },
      { ground: 'false_name', legalBasis: `${ART25}: sử dụng họ tên của người khác để tố cáo` },
      { ground: 'not_in_form', legalBasis: `${ART25}: không theo hình thức quy định tại Điều 22` },
    ],
  },
  // "Quyết định việc thanh tra, kiểm tra": the head's, who has the competence (Decree 31 Art. 20(2)).
  { action: 'decide_inspection', from: ['INFORMATION'], to: 'INSPECTION', roles: ['supervisor'], notice: false, legalBasis: GOES_ON },
  { action: 'decide_checking', from: ['INFORMATION'], to: 'CHECKING', roles: ['supervisor'], notice: false, legalBasis: GOES_ON },
  { action: 'forward_information', from: ['INFORMATION'], to: 'TRANSFERRED', roles: ['intake', 'supervisor'], notice: false, legalBasis: GOES_ON },
  // Art. 25(1): "không xử lý theo quy định của Luật này", and Art. 25(2)'s conditions not met.
  { action: 'not_process', from: ['INFORMATION'], to: 'NOT_PROCESSED', roles: ['intake', 'supervisor'], notice: false, legalBasis: `${LAW} Art. 25(1)–(2)` },
];
