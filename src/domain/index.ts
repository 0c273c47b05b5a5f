// The workflow and deadline rules: pure functions, no framework, no SQL.
export * from './dates.js';
export * from './calendar.js';
export * from './calendar-edits.js';
export * from './holidays-vn.js';
export * from './profile.js';
export * from './profiles/index.js';
export * from './clock.js';
export * from './transitions.js';
export * from './complexity.js';
export * from './retention.js';
export * from './publication.js';
export * from './report-periods.js';
export * from './grants.js';
export * from './protection.js';
export * from './decision-day.js';
export * from './custody.js';
export * from './proposals.js';
