// How a case reached the agency. Online is the page or the CLI, through a receipt; the
// others are recorded by an intake officer (Law Art. 22: a denunciation is made by letter
// or presented in person). Reports count arrivals by channel.

export const intakeChannels = ['in_person', 'letter'] as const;
export type IntakeChannel = (typeof intakeChannels)[number];
export type Channel = 'online' | IntakeChannel;
export const channels: readonly Channel[] = ['online', ...intakeChannels];

// How a protection request reached the agency. Online is the denouncer's own, through
// the receipt. An urgent request may be made by phone or presented in person and
// confirmed in writing later (Law Art. 50(3)); an intake officer records it. Phone is
// never a way to denounce, so it is a channel of protection requests only.
export const protectionIntakeChannels = ['phone', 'in_person'] as const;
export type ProtectionIntakeChannel = (typeof protectionIntakeChannels)[number];
export type ProtectionChannel = 'online' | ProtectionIntakeChannel;
