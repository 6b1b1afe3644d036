// The door to cme/certificates/: certificate PDFs, the public verification page, the learner's CME home and
// transcripts (issue 13, items 4 and 5).
export { certificatesRouter } from './certificates.routes';
export { verifyRouter } from './verify.routes';
export { verificationUrl } from './certificate.service';
export { creditsText } from './ledger.reading';
