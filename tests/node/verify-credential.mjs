// Verify an Open Badges credential with Digital Bazaar's libraries, offline.
//
//   node verify-credential.mjs CREDENTIAL.json DOCUMENTS.json [STATUS.json]
//
// DOCUMENTS.json maps every URL the verifier may look up (JSON-LD contexts, key and
// controller documents) to its JSON; nothing is fetched from the network. A verification
// method id with a fragment (#...) is dereferenced as JSON-LD fragments are: the node with
// that id inside the document without the fragment (a Multikey node is handed over in the
// multikey/v1 context, which defines the same terms as the CID v1 one). STATUS.json,
// when given, maps status list credential URLs to their JSON for the status check.
// Prints one JSON line {verified, suites, error, status} and exits 0 when verified.
import {readFileSync} from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {createVerifyCryptosuite} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import {cryptosuite as rdfc} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';

const [credentialPath, documentsPath, statusPath] = process.argv.slice(2);
const credential = JSON.parse(readFileSync(credentialPath, 'utf8'));
const documents = JSON.parse(readFileSync(documentsPath, 'utf8'));
const statusLists = statusPath ? JSON.parse(readFileSync(statusPath, 'utf8')) : {};

function find(url) {
  if(url in documents) {
    return documents[url];
  }
  const [base, fragment] = url.split('#');
  if(fragment !== undefined && base in documents) {
    const holder = documents[base];
    const method = (holder.verificationMethod || []).find(m => m.id === url);
    if(method && method.type === 'Multikey') {
      return {'@context': 'https://w3id.org/security/multikey/v1', ...method};
    }
    if(method) {
      return {'@context': holder['@context'], ...method};
    }
  }
  return undefined;
}

const documentLoader = async url => {
  const document = find(url);
  if(document === undefined) {
    throw new Error(`document not available offline: ${url}`);
  }
  return {contextUrl: null, documentUrl: url, document};
};

function bit(encodedList, index) {
  // Multibase base64url ('u') of a GZIP-compressed bitstring; bit 0 is the leftmost.
  return import('node:zlib').then(zlib => {
    const compressed = Buffer.from(encodedList.slice(1), 'base64url');
    const bytes = zlib.gunzipSync(compressed);
    return (bytes[Math.floor(index / 8)] >> (7 - (index % 8))) & 1;
  });
}

const statusResults = [];
async function checkStatus({credential}) {
  const entries = [].concat(credential.credentialStatus || []);
  for(const entry of entries) {
    const list = statusLists[entry.statusListCredential];
    if(!list) {
      return {verified: false, error: new Error('status list not available')};
    }
    const listCheck = await vc.verifyCredential({
      credential: list, suite: suites(), documentLoader
    });
    if(!listCheck.verified) {
      return {verified: false, error: new Error('status list credential does not verify')};
    }
    const value = await bit(list.credentialSubject.encodedList,
      parseInt(entry.statusListIndex, 10));
    statusResults.push({purpose: entry.statusPurpose, value});
    if(value === 1) {
      return {verified: false, error: new Error(`status ${entry.statusPurpose} is set`)};
    }
  }
  return {verified: true};
}

function suites() {
  return [
    new DataIntegrityProof({cryptosuite: createVerifyCryptosuite()}),
    new DataIntegrityProof({cryptosuite: rdfc})
  ];
}

let result;
try {
  result = await vc.verifyCredential({
    credential, suite: suites(), documentLoader,
    ...(credential.credentialStatus ? {checkStatus} : {})
  });
} catch(e) {
  result = {verified: false, error: e};
}
const proofs = (result.results || []).map(r => ({
  verified: r.verified,
  cryptosuite: r.proof && r.proof.cryptosuite,
  error: r.error && String(r.error.message || r.error)
}));
console.log(JSON.stringify({
  verified: result.verified,
  proofs,
  status: statusResults,
  error: result.error && String(result.error.message || result.error.errors || result.error)
}));
process.exit(result.verified ? 0 : 1);
