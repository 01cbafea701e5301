"""JSON-LD canonicalisation (RDF Dataset Canonicalization) with vendored contexts, offline.

The ``eddsa-rdfc-2022`` proof signs the credential's RDF form, so signing and checking
it needs the JSON-LD contexts the credential names. They are vendored in
``app/certificates/contexts/`` (copied from their publishers, see ``SOURCES``) and served
by an offline document loader: nothing is ever fetched at run time, and a context we do
not hold is an error, never a network request.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from pyld import jsonld

CONTEXT_DIR = Path(__file__).parent / "contexts"

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3P0 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
CID_V1 = "https://www.w3.org/ns/cid/v1"

# URL → (file, where the copy comes from)
SOURCES: dict[str, tuple[str, str]] = {
    VC_V2: ("credentials-v2.jsonld", "github.com/w3c/vc-data-model contexts/credentials/v2"),
    OB_V3P0: (
        "ob-v3p0-context-3.0.3.json",
        "github.com/1EdTech/openbadges-specification ob_v3p0/context-3.0.3.json",
    ),
    DATA_INTEGRITY_V2: (
        "data-integrity-v2.jsonld",
        "github.com/w3c/vc-data-integrity contexts/data-integrity/v2",
    ),
    MULTIKEY_V1: ("multikey-v1.jsonld", "github.com/w3c/vc-data-integrity contexts/multikey/v1"),
    CID_V1: ("cid-v1.jsonld", "github.com/w3c/cid context/v1.jsonld"),
}


class ContextNotAvailable(ValueError):
    """The document names a JSON-LD context that is not vendored here."""


@cache
def context_document(url: str) -> dict:
    """The vendored context at ``url``; raise ContextNotAvailable for any other URL."""
    entry = SOURCES.get(url)
    if entry is None:
        raise ContextNotAvailable(url)
    return json.loads((CONTEXT_DIR / entry[0]).read_text(encoding="utf-8"))


def make_loader(extra: dict[str, dict] | None = None):
    """A pyld document loader serving the vendored contexts (plus ``extra``), offline."""
    extra = extra or {}

    def load(url: str, options=None) -> dict:
        if url in extra:
            document = extra[url]
        else:
            try:
                document = context_document(url)
            except ContextNotAvailable:
                raise jsonld.JsonLdError(
                    f"JSON-LD context not available offline: {url}",
                    "jsonld.LoadDocumentError",
                    {"url": url},
                    code="loading document failed",
                ) from None
        return {"contextUrl": None, "documentUrl": url, "document": document}

    return load


def canonize(document: dict, loader=None) -> str:
    """The N-Quads of ``document`` under RDF Dataset Canonicalization (URDNA2015/RDFC-1.0).

    Raise ValueError when the document cannot be processed (unknown context, bad JSON-LD).
    """
    try:
        return jsonld.normalize(
            document,
            {
                "algorithm": "URDNA2015",
                "format": "application/n-quads",
                "documentLoader": loader or make_loader(),
            },
        )
    except jsonld.JsonLdError as error:
        raise ValueError(f"JSON-LD: {error}") from error
