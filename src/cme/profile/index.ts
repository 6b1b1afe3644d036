// The door to cme/profile/: the learner's reporting profile (issue 13, item 2): identifiers boards and registries
// need, and consents to report to PARS, CPE Monitor and CE Broker.
export { isRealMonthDay, isValidEprofileId, isValidNpi } from './profile.identifiers';
export { profileRouter, profilePath } from './profile.routes';
export { profileOf } from './profile.service';
export { licenseStateCodes } from './profile.states';
