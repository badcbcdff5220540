// Package outbox is Signet's durable, encrypted queue of submissions that
// could not be sent yet: StoRegister signatures and identity-document images,
// and Mews identity-document writes that failed for a transient reason.
//
// # Guarantees
//
//   - Accepted means durable: when Enqueue returns nil the item has been
//     written to a temporary file, fsynced, renamed into place and the
//     directory fsynced. A SIGKILL or power cut at any moment loses no
//     accepted item and leaves no half-written one (a torn temporary file is
//     removed at the next Open: nobody was told it was accepted).
//   - At least once: a worker delivers each item until the remote side
//     confirms it, then deletes it. A crash between the confirmation and the
//     deletion sends it again. StoRegister saves overwrite; Mews add has no
//     idempotency key, so MewsDeliverer checks for an identical document first.
//   - Transient failures (network, timeouts, 429, 5xx, transient refusal
//     codes) are retried with exponential backoff and full jitter from
//     package client/retry; a server's Retry-After holds every delivery for
//     that long. Permanent refusals move the item to the dead-letter list,
//     which Stats shows to staff (kind, times, error code; nothing personal).
//   - Nothing is kept longer than MaxAge (23 h by default, as StoRegister
//     drops a saved signature after a day): older items, delivered or not,
//     are removed and each removal is reported (Event Expired, a log line,
//     Stats.Removed).
//   - Bounded: MaxItems and MaxBytes cap what is on disk; Enqueue then
//     refuses with a *FullError (errors.Is ErrFull), and the kiosk asks the
//     guest to see staff.
//   - Never stuck on bad bytes: a file that cannot be read or authenticated
//     is moved to quarantine/ and reported, never fatal.
//   - Never stranded by a wrong key: items sealed with another key are not
//     bad bytes. Open refuses to start with a *KeyError that names the key's
//     source and counts them, changing nothing; LoadKey never generates a
//     key while sealed items wait. Restore brings back a quarantined item.
//
// # On disk
//
//	<state>/outbox.key              generated key, mode 0600 (when none is configured)
//	<state>/outbox/queue/<id>.item  items waiting to be delivered
//	<state>/outbox/dead/<id>.item   items refused for good
//	<state>/outbox/quarantine/…     files that could not be read
//	<state>/outbox/lock             held (flock) by the one process that has the queue open
//
// File names are 128-bit random ids. Each item is a clear header (format
// version, state, key fingerprint, id, creation and failure times, kind,
// error code) followed by the payload sealed with AES-256-GCM under a fresh
// random nonce, with the header as additional data: changing a byte of it,
// renaming the file or moving it between queue/ and dead/ makes the item
// unreadable (and quarantined), never misread. Images, signatures and
// document fields exist on disk only inside the ciphertext.
//
// # The key
//
// The key comes from SIGNET_OUTBOX_KEY or outbox.key in the configuration
// (32 bytes as 64 hex digits or base64); without one it is generated once
// into the state directory as outbox.key, mode 0600, and never again while
// items sealed with it are waiting. What a generated key
// does and does not protect against is in README.md beside this file.
package outbox
