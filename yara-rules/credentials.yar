// Private key material leaving the organisation, in any content or text.
rule private_key_block
{
    meta:
        category = "credentials"
        severity = "high"
        description = "A private key (PEM or OpenSSH) is included; keys must never leave the organisation."
        scope = "any"
        // A key published for anyone to read (RFC 9500's test keys, example keys that
        // software distributions ship: filters/published_keys.tsv) is reported, not held.
        published_keys = true
    strings:
        $pem = /-----BEGIN (RSA |EC |DSA |ENCRYPTED |OPENSSH )?PRIVATE KEY-----/
        $putty = "PuTTY-User-Key-File-"
    condition:
        any of them
}
