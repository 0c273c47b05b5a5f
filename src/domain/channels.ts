// How a case reached the agency. Online is the page or the CLI, through a receipt; the
// others are recorded by an intake officer (Law Art. 22: a denunciation is made by letter
// or presented in person). Reports count arrivals by channel.

export const intakeChannels = ['in_person', 'letter'] as const;
export type IntakeChannel = (typeof intakeChannels)[number];
export type Channel = 'online' | IntakeChannel;
export const channels: readonly Channel[] = ['online', ...intakeChannels];
