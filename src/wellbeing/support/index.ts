// The door to wellbeing/support/: profession (profile page, LTI custom parameter), support resources, and the
// tenant's well-being settings (EAP line, time zone, instrument confirmations).
export {
  isProfession,
  parseProfession,
  professionLabels,
  professions,
  type Profession,
  type ProfessionSource,
} from './profession';
export { professionOf } from './profile.service';
export { confirmedInstruments } from './settings.service';
export { confirmableInstruments, type ConfirmableInstrument } from './settings.model';
export {
  chooseSupportLines,
  supportResourcesFor,
  type SupportContact,
  type SupportLine,
} from './support.service';
export { supportRouter } from './support.routes';
export { wellbeingSettingsRouter } from './settings.routes';
