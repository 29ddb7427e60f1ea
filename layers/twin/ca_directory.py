"""Writes a CA bundle as an OpenSSL hashed directory, the layout `SSL_CERT_DIR` names.

Every httpx client (the Upstash and Groq SDKs each make one) builds an SSL context, and from a bundle file
OpenSSL 3 parses all of its certificates every time: 16 ms per client on a cold start. From a hashed
directory (one file per certificate, named `<subject hash>.<n>`) it reads only the CA a handshake needs,
when it needs it. The certificates are certifi's, the ones the clients trust anyway.

    python ca_directory.py <bundle.pem> <directory>
"""

import re
import subprocess
import sys
from pathlib import Path

CERTIFICATE = re.compile(r"-----BEGIN CERTIFICATE-----\n.+?\n-----END CERTIFICATE-----\n", re.DOTALL)


def subject_hash(certificate: str) -> str:
    """The name OpenSSL looks the certificate up by (the `openssl rehash` algorithm)."""
    command = ["openssl", "x509", "-noout", "-subject_hash"]
    return subprocess.run(command, input=certificate, capture_output=True, text=True, check=True).stdout.strip()


def write_hashed_directory(bundle: Path, directory: Path) -> int:
    certificates = CERTIFICATE.findall(bundle.read_text(encoding="ascii"))
    if not certificates:
        raise SystemExit(f"no certificate in {bundle}")
    directory.mkdir(parents=True, exist_ok=True)
    for certificate in certificates:
        name = subject_hash(certificate)
        suffix = 0
        while (directory / f"{name}.{suffix}").exists():  # two CAs with the same subject hash
            suffix += 1
        (directory / f"{name}.{suffix}").write_text(certificate, encoding="ascii")
    return len(certificates)


if __name__ == "__main__":
    write_hashed_directory(Path(sys.argv[1]), Path(sys.argv[2]))
