-- The interface language a signer used when signing (issue 13): their mail is written in it, and so
-- can later mail be. Distinct from signatures.language, the language of the text they read.
ALTER TABLE signatures ADD COLUMN interface_language text NOT NULL DEFAULT 'en';
