"""A throw-away RFC 3161 time-stamping authority on 127.0.0.1, for signing test manifests.

Its own root CA issues a TSA certificate (EKU timeStamping, critical); the server answers
TimeStampReq posts with a granted TimeStampResp whose token is a CMS SignedData over a TSTInfo
(ESSCertIDv2 signing-certificate attribute, SHA-256, ECDSA P-256). Only for tests: no policy,
no accuracy, serial numbers from a counter.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import algos, cms, core, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from c2pa_fixtures import certificate

POLICY = "1.3.6.1.4.1.99999.1"  # a private-arc test policy


def _name(common: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Throwaway Time Authority"),
        ]
    )


class Authority:
    """Root + TSA certificate and the token maker."""

    def __init__(self) -> None:
        root_key, self.key = (
            ec.generate_private_key(ec.SECP256R1()),
            ec.generate_private_key(ec.SECP256R1()),
        )
        root_name = _name("Throwaway TSA Root CA")
        self.root = certificate(root_name, root_name, root_key, root_key, ca=True)
        self.cert = certificate(
            _name("Throwaway TSA"),
            root_name,
            self.key,
            root_key,
            ca=False,
            leaf=True,
            usage=(ExtendedKeyUsageOID.TIME_STAMPING, True),
        )
        self.root_pem = self.root.public_bytes(serialization.Encoding.PEM)
        self._serials = itertools.count(1)

    def respond(self, request_der: bytes) -> bytes:
        request = tsp.TimeStampReq.load(request_der)
        cert_der = self.cert.public_bytes(serialization.Encoding.DER)
        info = tsp.TSTInfo(
            {
                "version": "v1",
                "policy": POLICY,
                "message_imprint": request["message_imprint"],
                "serial_number": next(self._serials),
                "gen_time": dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
                "nonce": request["nonce"].native,
            }
        )
        content = info.dump()
        attributes = cms.CMSAttributes(
            [
                {"type": "content_type", "values": ["tst_info"]},
                {
                    "type": "signing_time",
                    "values": [cms.Time({"utc_time": info["gen_time"].native})],
                },
                {"type": "message_digest", "values": [hashlib.sha256(content).digest()]},
                {
                    "type": "signing_certificate_v2",
                    "values": [
                        {
                            "certs": [
                                {
                                    "hash_algorithm": {"algorithm": "sha256"},
                                    "cert_hash": hashlib.sha256(cert_der).digest(),
                                }
                            ]
                        }
                    ],
                },
            ]
        )
        signature = self.key.sign(attributes.dump(), ec.ECDSA(hashes.SHA256()))
        certificate = asn1_x509.Certificate.load(cert_der)
        signer = cms.SignerInfo(
            {
                "version": "v1",
                "sid": cms.SignerIdentifier(
                    {
                        "issuer_and_serial_number": {
                            "issuer": certificate.issuer,
                            "serial_number": certificate.serial_number,
                        }
                    }
                ),
                "digest_algorithm": {"algorithm": "sha256"},
                "signed_attrs": attributes,
                "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": "sha256_ecdsa"}),
                "signature": signature,
            }
        )
        signed = cms.SignedData(
            {
                "version": "v3",
                "digest_algorithms": [{"algorithm": "sha256"}],
                "encap_content_info": {
                    "content_type": "tst_info",
                    "content": core.ParsableOctetString(content),
                },
                "certificates": [certificate],
                "signer_infos": [signer],
            }
        )
        token = cms.ContentInfo({"content_type": "signed_data", "content": signed})
        return tsp.TimeStampResp(
            {"status": {"status": "granted"}, "time_stamp_token": token}
        ).dump()


class TsaServer:
    """`with TsaServer() as tsa:` — tsa.url answers RFC 3161 requests; tsa.root_pem anchors it."""

    def __init__(self) -> None:
        self.authority = Authority()
        self.root_pem = self.authority.root_pem
        self.requests = 0
        authority, server_self = self.authority, self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                reply = authority.respond(body)
                server_self.requests += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/tsa"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> TsaServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
