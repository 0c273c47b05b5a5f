// What a new member needs to enrol, as whoever invites them hands it over (the `tipline`
// command prints it, the console shows it once). The agency fingerprint comes from the
// inviter's own pin, never from the server: it is what protects the new member from a
// server that lies about the agency's key, so it travels in person or on paper.

export interface Invitation { agencyId: string; fingerprint: string; staffId: string; enrolmentCode: string }

/** The command the new member runs on their own machine; the code is asked for, not typed into it. */
export const enrolCommand = (i: Omit<Invitation, 'enrolmentCode'>): string =>
  `tipline staff enrol --agency-id ${i.agencyId} --agency-fingerprint "${i.fingerprint}" --staff-id ${i.staffId} --out me.json`;

export function invitationText(i: Invitation): string {
  return [
    `agency id:           ${i.agencyId}`, `agency fingerprint:  ${i.fingerprint}`,
    `staff id:            ${i.staffId}`, `enrolment code:      ${i.enrolmentCode}`,
    `enrol with: ${enrolCommand(i)}`,
  ].join('\n');
}
