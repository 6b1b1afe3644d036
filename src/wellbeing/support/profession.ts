/**
 * The professions Rounds tells apart. It decides which support lines a person sees (the Physician Support Line
 * serves physicians and medical students only), which modules come first, and later which CME credit applies.
 * The same list is the `profession` enum of the User model (src/tenancy/user.model.ts); a unit test keeps them equal.
 */
export const professions = [
  'physician',
  'medical-student',
  'nurse',
  'pharmacist',
  'technician',
  'other',
] as const;
export type Profession = (typeof professions)[number];

/** Where a stored profession came from: the learner's own choice always wins over the LMS's. */
export type ProfessionSource = 'learner' | 'lms';

/** What a person sees for each profession. */
export const professionLabels: Record<Profession, string> = {
  physician: 'Physician (MD or DO, including residents and fellows)',
  'medical-student': 'Medical student',
  nurse: 'Nurse',
  pharmacist: 'Pharmacist',
  technician: 'Technician or technologist (pharmacy, lab, imaging, respiratory…)',
  other: 'Another profession',
};

export function isProfession(value: unknown): value is Profession {
  return typeof value === 'string' && (professions as readonly string[]).includes(value);
}

/**
 * Words an LMS administrator's mapping may send for each profession, after folding (lower case, every run of
 * non-alphanumerics to one `-`). Moodle turns non-alphanumerics in parameter *names* into `_`, and profile
 * fields hold whatever the site chose, so values arrive as "Nurse", "RN", "Medical_student", "MD"…
 * A resident or fellow is a physician in training (MD/DO), so gets the Physician Support Line.
 */
const synonyms: Record<string, Profession> = {
  physician: 'physician',
  doctor: 'physician',
  md: 'physician',
  do: 'physician',
  resident: 'physician',
  'resident-physician': 'physician',
  fellow: 'physician',
  intern: 'physician',
  attending: 'physician',
  'attending-physician': 'physician',
  'medical-student': 'medical-student',
  'med-student': 'medical-student',
  nurse: 'nurse',
  rn: 'nurse',
  lpn: 'nurse',
  np: 'nurse',
  'registered-nurse': 'nurse',
  'nurse-practitioner': 'nurse',
  pharmacist: 'pharmacist',
  pharmd: 'pharmacist',
  technician: 'technician',
  technologist: 'technician',
  'pharmacy-technician': 'technician',
  cpht: 'technician',
  other: 'other',
};

/**
 * The profession an LTI custom parameter `profession` names, or undefined when it names none Rounds knows.
 * Case and punctuation are ignored ("Medical student", "medical_student" and "MEDICAL-STUDENT" agree). A bare
 * "student" is not enough to know it is a medical student, and an unsubstituted Moodle variable (`$Person…`,
 * sent as-is when Moodle has no value for it) names nothing: both give undefined, which changes nothing stored.
 */
export function parseProfession(value: unknown): Profession | undefined {
  if (typeof value !== 'string' || value.length > 100) return undefined;
  const folded = value
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  // Abbreviations with dots ("M.D.", "D.O.") fold to "m-d": try them without separators too.
  const compact = folded.replace(/-/g, '');
  if (Object.hasOwn(synonyms, folded)) return synonyms[folded];
  return compact.length <= 5 && Object.hasOwn(synonyms, compact) ? synonyms[compact] : undefined;
}

/** Whether the Physician Support Line serves this profession (physicians and medical students, per its FAQ). */
export function isServedByPhysicianSupportLine(profession: Profession | undefined): boolean {
  return profession === 'physician' || profession === 'medical-student';
}
