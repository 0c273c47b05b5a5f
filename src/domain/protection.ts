// Who decides a protection request (Law ch. VI, Art. 51–52): the head of agency. One
// rule for the server, which refuses a decision from anyone else, and for staff
// clients, which refuse to show as decided a request whose decision another role signed.

export const PROTECTION_DECIDER_ROLES = ['supervisor'] as const;
