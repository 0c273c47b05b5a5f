import { explanationsEn, statesEn } from './states.js';
import type { MessageKey } from './vi.js';

// English twin of vi.ts. Typed by vi's keys, so a key missing here fails the typecheck
// (and test/web/i18n.test.ts checks the other direction at run time).

export const en: Record<MessageKey, string> = {
  'app.title': 'Secure tip line',
  'app.tagline': 'Report corruption, waste and abuse without revealing who you are.',
  'app.lang.switch': 'Tiếng Việt',
  'app.nav.label': 'Sections',
  'app.nav.submit': 'Send a new report',
  'app.nav.followUp': 'Follow a report you sent',
  'app.loading': 'Loading…',
  'app.backend.noble': 'Encryption runs on your device in pure JavaScript (no WebAssembly).',
  'app.backend.sodium': 'Encryption runs on your device with libsodium (WebAssembly).',
  'app.privacy':
    'Your report is encrypted on this device before it is sent. The server stores only ciphertext, keeps no IP address and sets no cookie.',

  'noscript.title': 'This page needs JavaScript',
  'noscript.why':
    'Your report is encrypted inside your browser before it is sent. With JavaScript off the page cannot encrypt, so it sends nothing at all — never plain text.',
  'noscript.how':
    'Allow JavaScript for this page. In Tor Browser: click the shield icon, Settings → Security Level → "Safer", and open the page through its HTTPS or .onion address. "Safest" turns JavaScript off entirely.',

  'agency.legend': '1. Agency receiving the report',
  'agency.label': 'Choose an agency',
  'agency.placeholder': '— Choose an agency —',
  'agency.none': 'No agency receives reports through this server yet.',
  'agency.loadFailed': 'Could not load the list of agencies. Please try again later.',
  'agency.checking': "Checking the agency's keys… You can start writing.",
  'agency.pinned': "This agency's key is pinned in the page (fingerprint {fingerprint}).",
  'agency.recovery':
    "This agency has a recovery key: every report is also encrypted to a back-up key whose secret half is split into {shares} paper shares held by the agency's officials. Any {threshold} of those holders together can read every report sent while it is in use (not your identity). The server cannot add such a key: it is in the key list the agency signs.",
  'agency.unpinned':
    "Warning: this agency's key is not pinned in the page (this is a development build). The page cannot check that the key the server provides belongs to the agency, so whoever controls the server may be able to read what you send. Do not send anything sensitive; compare the fingerprint of the key the server offers, {fingerprint}, with the one the agency gives you through another channel.",
  'agency.unpinnedRefused':
    'This page has no pinned key for this agency, so it cannot check the key the server provides and will send nothing to it. Contact the agency through another channel.',
  'agency.required': 'Choose the agency that should receive the report.',

  'report.legend': '2. What happened?',
  'report.hint':
    'Be specific: who did it, what they did, when, where, and what evidence exists. The more specific and verifiable, the easier it is to act on.',
  'report.who': 'Who did it? (name, position, unit)',
  'report.what': 'What did they do?',
  'report.when': 'When? (date, period)',
  'report.where': 'Where? (agency, place)',
  'report.evidence': 'Evidence (documents, witnesses, where it can be checked)',
  'report.whatRequired': 'Describe what was done.',

  'files.legend': '3. Attachments (optional)',
  'files.label': 'Choose files',
  'files.hint':
    'Files are encrypted on this device, chunk by chunk, before they are uploaded. File names travel only inside the encrypted part. Remove hidden data (author, location) from files if you can.',
  'files.remove': 'Remove {name}',
  'files.sent': 'Sent {sent} of {total} ({percent}%)',
  'files.done': 'Uploaded {name}',
  'files.failed': 'Uploading {name} was interrupted.',
  'files.resume': 'Resume upload',
  'uploads.title': 'Your files are being sent',
  'uploads.keepOpen':
    'The report is stored and the receipt code above already works. Keep this page open until the files are sent: if you close it now, the files not yet sent will not reach the agency.',
  'uploads.allSent': 'All files sent. You can close the page now.',

  'track.legend': '4. How to send',
  'track.anonymous': 'Anonymous tip (no identity)',
  'track.anonymous.explain':
    'Nobody learns who you are, not even the agency. Under Art. 25 of the 2018 Law on Denunciation, an anonymous tip is examined when it names the wrongdoer and gives specific, verifiable evidence. The agency sends you no formal notices, but you can still read the status and messages with your receipt code.',
  'track.formal': 'Formal denunciation (with name and address)',
  'track.formal.explain':
    'The law asks a denouncer for name, address and contact (Art. 23). You receive formal notices of acceptance and of the outcome, and you may ask for protection. Your identity is encrypted separately: investigators cannot read it. It can be opened only when {threshold} of the agency\'s key custodians agree; the server can never read it.',
  'track.formal.explainNoThreshold':
    "The law asks a denouncer for name, address and contact (Art. 23). You receive formal notices of acceptance and of the outcome, and you may ask for protection. Your identity is encrypted separately: investigators cannot read it. It can be opened only when enough of the agency's key custodians agree.",
  'track.formal.explainUnpinned':
    "The law asks a denouncer for name, address and contact (Art. 23). You receive formal notices of acceptance and of the outcome, and you may ask for protection. Your identity is encrypted on this device, but this page cannot check the agency's keys: whoever controls the server may be able to read your identity.",
  'identity.name': 'Full name',
  'identity.address': 'Address',
  'identity.contact': 'Contact (phone, email)',
  'identity.required': 'A formal denunciation needs your name, address and contact.',

  'send.legend': '5. Send',
  'send.button': 'Encrypt and send',
  'send.explain':
    'Before sending, your browser solves a puzzle that keeps spam out; how long it takes depends on the device, and the page shows how far it has got. After sending you get a receipt code.',
  'send.step.verify': "Checking the agency's key…",
  'send.step.seal': 'Encrypting…',
  'send.step.pow': 'Keeping spam out: your browser is solving a puzzle…',
  'send.step.upload': 'Sending…',
  'send.step.files': 'Uploading files…',
  'send.failed': 'Sending failed.',
  'pow.measuring': '{solved} of {puzzles} parts done; measuring how fast this device is…',
  'pow.left': '{solved} of {puzzles} parts done, about {seconds} s left on this device.',
  'pow.bar': 'Anti-spam puzzle: {solved} of {puzzles} parts',

  'error.chunk': "The page's encryption code could not be loaded, or does not match the hash the page lists for it. Send nothing through this page; reload it, or try again later.",
  'error.bundle':
    'Stopped: the key the server gave for this agency does not match the pinned key, its signature is invalid or the key list has expired. The server may have been tampered with. Nothing was sent. Contact the agency through another channel.',
  'error.rollback':
    "Stopped: the server offered an older list of this agency's keys than one this page already knows. The server may have been tampered with. Nothing was sent. Contact the agency through another channel.",
  'error.network': 'Could not reach the server. Check your connection and try again.',
  'error.rateLimited': 'The server is busy. Try again in a few minutes.',
  'error.receiptUnknown': 'No report was found for this receipt code.',
  'error.noIntake': 'This agency lists no intake officer in its keys. Nothing was sent.',
  'error.partial':
    'Some files were not sent (the connection was cut). The report and its receipt code are safe. Keep this page open and press "Resume upload" when you are back online: sending continues where it stopped. If you must close the page, write the receipt code down first; you can then send the files again under "Follow a report you sent".',
  'error.notAllowed': 'This cannot be done at the current stage of the case.',
  'error.generic': 'Something went wrong ({code}).',

  'receipt.title': 'Sent. This is your receipt code',
  'receipt.number': 'Public case number: {number}',
  'receipt.codeLabel': 'Receipt code',
  'receipt.warning':
    'Write this code down and keep it somewhere safe. It is the only way to see the outcome and read messages. It is stored nowhere — not on the server, not in the browser — so if you lose it, nobody can recover it.',
  'receipt.copy': 'Copy code',
  'receipt.copied': 'Copied. Remember to clear your clipboard after writing it down.',
  'receipt.copyFailed': 'Could not copy; please write it down by hand.',
  'receipt.print': 'Print code',
  'receipt.hide': 'Hide the code',
  'receipt.confirm': 'I have written the receipt code down',
  'receipt.continue': 'View the report',
  'receipt.another': 'Send another report (this code will not be shown again)',

  'slip.title': 'Report receipt',
  'slip.code': 'Receipt code',
  'slip.number': 'Public case number',
  'slip.agency': 'Agency',
  'slip.site': 'Site address',
  'slip.day': 'Received on',
  'slip.follow':
    'To follow the case: open {site}, choose "Follow a report you sent" and type the receipt code to see its status, its deadline and the agency\'s messages.',
  'slip.secret': 'Keep this code secret: anyone who has it can read the case and write as you. A lost code cannot be recovered.',

  'followup.title': 'Follow a report',
  'followup.receiptLabel': 'Receipt code (25 characters)',
  'followup.receiptHint': 'Lower case is fine, with or without dashes.',
  'followup.showReceipt': 'Show the code',
  'followup.open': 'Open',
  'followup.typo': 'The receipt code has a typo (wrong check character or length). Please check it; nothing has been sent.',
  'followup.opening': 'Opening the report…',
  'followup.close': 'Close the report and forget the code',
  'followup.caseNumber': 'Case {number}',
  'followup.status': 'Status:',
  'followup.kind': 'Kind:',
  'followup.deadline': 'Current deadline:',
  'followup.noDeadline': 'No deadline is running now.',
  'followup.timeline': 'Timeline',
  'followup.timelineEmpty': 'Nothing has happened yet.',
  'followup.yourReport': 'What you sent',
  'followup.messages': 'Messages',
  'followup.messagesEmpty': 'No messages yet.',
  'followup.fromAgency': 'Agency',
  'followup.fromYou': 'You',
  'followup.reply': 'Write to the agency',
  'followup.send': 'Send message',
  'followup.sent': 'Message sent.',
  'followup.addFiles': 'Send more files',
  'followup.download': 'Download {name}',
  'followup.refresh': 'Refresh',

  'protection.title': 'Ask for protection',
  'protection.explain':
    'Under the Law on Denunciation (Art. 47–54), you and your spouse, parents and children can be protected in your job and position, life, health, property and honour.',
  'protection.reasons': 'Why you need protection',
  'protection.measures': 'Measures you ask for',
  'protection.urgent': 'Urgent: I am in danger right now',
  'protection.send': 'Send protection request',
  'protection.sent': 'Protection request sent.',

  'retaliation.title': 'Report retaliation',
  'retaliation.explain':
    'Threats, harassment and retaliation against denouncers are prohibited (Art. 8). Reports are handled urgently. A report is a new case, linked to this one, with a receipt code of its own.',
  'retaliation.what': 'What happened to you?',
  'retaliation.send': 'Send report',
  'retaliation.sent': 'Report sent. It is linked to this case and has its own receipt code, below.',
  'retaliation.secondCode':
    "This is a second code, for the retaliation report only: the first case's code does not open this report. Keep both codes. Why: each case is encrypted for exactly one receipt code, and letting one code open both cases would need a change to the encryption protocol, which has not been made. Keeping them apart also protects you: someone who obtains the first code (a person retaliating against you may put pressure on you) cannot read this report. The agency still sees the two cases linked.",

  'withdraw.title': 'Withdraw the denunciation',
  'withdraw.explain': 'You may withdraw all or part of your denunciation before the conclusion (Art. 33). After a partial withdrawal the rest is still settled. After a full one the person settling it terminates the case, or must go on if there are signs of a violation, if the withdrawal was threatened, coerced or bought, or if the denunciation was made to slander. This cannot be undone.',
  'withdraw.scope': 'You withdraw',
  'withdraw.all': 'All of the denunciation',
  'withdraw.part': 'Part of the denunciation',
  'withdraw.letter': 'Your withdrawal letter',
  'withdraw.letterHint': 'For a part, say which part. You may give your reasons. It is encrypted on your device.',
  'withdraw.confirm': 'I understand and want to withdraw',
  'withdraw.send': 'Withdraw',
  'withdraw.sent': 'Withdrawal letter sent.',
  'workflow.unavailable': 'This server does not offer this yet.',

  ...statesEn,
  ...explanationsEn,

  'event.created': 'Report sent',
  'event.transition': 'Moved to:',
  'event.other': '{kind}',
};
