-- The outbox keeps each signing mail as a draft (JSON, a few hundred bytes: the language, the signer's
-- name, the manifesto's title, version and SHA-256, the link's days and the two link tokens), written
-- out when it is sent (signing/Messages.write), instead of the mail in text and HTML (several
-- kilobytes) written, sent to the database and stored with every signature of a burst. Messages queued
-- before this keep their written bodies and are sent as they are; new rows leave the bodies empty.
-- A draft holds the links' tokens, as the bodies did: a message given up has its draft cleared too.
ALTER TABLE mail_outbox ADD COLUMN draft text;
ALTER TABLE mail_outbox ALTER COLUMN subject SET DEFAULT '';
ALTER TABLE mail_outbox ALTER COLUMN text_body SET DEFAULT '';
ALTER TABLE mail_outbox ALTER COLUMN html_body SET DEFAULT '';
