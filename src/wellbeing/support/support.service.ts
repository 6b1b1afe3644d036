import mongoose from 'mongoose';
import { isServedByPhysicianSupportLine, type Profession } from './profession';
import { WellbeingSettingsModel } from './settings.model';

/** One way to reach a line: a `tel:`, `sms:` or https link. `external` links open in a new tab (out of the LMS frame). */
export interface SupportContact {
  label: string;
  href: string;
  external?: boolean;
}

/** A place to get help, as the `supportResources` partial shows it. */
export interface SupportLine {
  id: '988' | 'eap' | 'physician-support-line';
  name: string;
  description: string;
  contacts: SupportContact[];
  hours?: string;
  /** Whom the line serves, always shown so nobody has to guess whether a line is for them. */
  serves: string;
}

/** A tenant's employee-assistance programme as its admin entered it (empty strings when not set). */
export interface EmployeeAssistance {
  name: string;
  phone: string;
  hours: string;
  url: string;
}

// 988: SAMHSA's 988 Suicide & Crisis Lifeline, call or text 988, chat at 988lifeline.org, 24/7 (988lifeline.org).
const crisisLine: SupportLine = {
  id: '988',
  name: '988 Suicide & Crisis Lifeline',
  description:
    'Free, confidential support from trained counselors if you are struggling, in crisis, or worried about someone.',
  contacts: [
    { label: 'Call 988', href: 'tel:988' },
    { label: 'Text 988', href: 'sms:988' },
    { label: 'Chat at 988lifeline.org', href: 'https://988lifeline.org/chat', external: true },
  ],
  hours: '24 hours a day, 7 days a week',
  serves: 'Everyone in the US, whatever their job',
};

// Physician Support Line FAQ (https://physiciansupportline.com/faq): free, confidential, volunteer US-licensed
// psychiatrists, no appointment; for US physicians (attending, fellow, resident, intern) and medical students;
// "8am to 1am ET". The days have changed over time, so the page points to the line's own site for them.
const physicianSupportLine: SupportLine = {
  id: 'physician-support-line',
  name: 'Physician Support Line',
  description:
    'Free, confidential peer support from volunteer psychiatrists who know the profession. No appointment needed.',
  contacts: [
    { label: 'Call 1-888-409-0141', href: 'tel:+18884090141' },
    { label: 'physiciansupportline.com', href: 'https://www.physiciansupportline.com', external: true },
  ],
  hours: '8 am to 1 am Eastern Time. Hours can change: physiciansupportline.com has the current ones.',
  serves: 'US physicians (attendings, fellows, residents, interns) and medical students',
};

const employeeAssistanceServes = 'Staff of your organization (and often their families)';

/** The `tel:` link of a phone number as typed: digits only, keeping a leading +. */
export function telephoneHref(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return `tel:${phone.trim().startsWith('+') ? '+' : ''}${digits}`;
}

/** The tenant's EAP as a line; when the admin has not set one, a line saying how to find it, never a blank. */
function employeeAssistanceLine(eap: EmployeeAssistance | undefined): SupportLine {
  if (!eap?.name || !eap.phone) {
    return {
      id: 'eap',
      name: 'Your employee assistance program (EAP)',
      description:
        'Ask your manager or HR for your employee assistance program. Most employers offer one: free, confidential counseling, often for your family too.',
      contacts: [],
      serves: employeeAssistanceServes,
    };
  }
  return {
    id: 'eap',
    name: eap.name,
    description: 'Your employer’s employee assistance program: free, confidential counseling.',
    contacts: [
      { label: `Call ${eap.phone}`, href: telephoneHref(eap.phone) },
      ...(eap.url ? [{ label: `Visit ${new URL(eap.url).host}`, href: eap.url, external: true }] : []),
    ],
    ...(eap.hours ? { hours: eap.hours } : {}),
    serves: employeeAssistanceServes,
  };
}

/**
 * The support lines for someone of this profession (DOMAIN.md "Safety"): 988 for everyone, the employer's EAP,
 * and the Physician Support Line for physicians and medical students. A profession Rounds does not know
 * (undefined, or "other", which may be anyone) never hides a line: it gets every line, each saying whom it serves.
 * Pure, so the choice is unit-tested; `eap` undefined when no tenant is known (a visitor without a session).
 */
export function chooseSupportLines(
  profession: Profession | undefined,
  eap: EmployeeAssistance | undefined,
): SupportLine[] {
  const known = profession !== undefined && profession !== 'other';
  const lines = [crisisLine, employeeAssistanceLine(eap)];
  if (!known || isServedByPhysicianSupportLine(profession)) lines.push(physicianSupportLine);
  return lines.map((line) => ({ ...line, contacts: line.contacts.map((contact) => ({ ...contact })) }));
}

/** The tenant's EAP as stored, or undefined when the tenant id is not one (or no tenant is known). */
export async function employeeAssistanceFor(
  tenantId: string | undefined,
): Promise<EmployeeAssistance | undefined> {
  if (!tenantId || !mongoose.isValidObjectId(tenantId)) return undefined;
  const settings = await WellbeingSettingsModel.findOne({ tenantId }, { eap: 1 }).lean();
  const eap = settings?.eap;
  return { name: eap?.name ?? '', phone: eap?.phone ?? '', hours: eap?.hours ?? '', url: eap?.url ?? '' };
}

/**
 * The support lines to show someone of `profession` in this tenant: what a positive screen shows before the score
 * and what /support lists. One read (the tenant's settings, by its unique key).
 */
export async function supportResourcesFor(
  tenantId: string,
  profession: Profession | undefined,
): Promise<SupportLine[]> {
  return chooseSupportLines(profession, await employeeAssistanceFor(tenantId));
}
