import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import dataPackage from './data-package.json';
import tabularDataResource from './tabular-data-resource.json';

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
// The profiles mark long descriptions "textarea" for form builders; any text is valid.
ajv.addFormat('textarea', true);
const packageProfile = ajv.compile(dataPackage);
const resourceProfile = ajv.compile(tabularDataResource);

/**
 * The published Frictionless profiles, checked with Ajv: the package against
 * `data-package`, each resource that declares `tabular-data-resource` against
 * that one. Returns every error as `where: what` (empty when valid).
 */
export function frictionlessErrors(descriptor: { profile?: string; resources?: { profile?: string }[] }): string[] {
  const errors: string[] = [];
  const check = (validate: typeof packageProfile, value: unknown, where: string) => {
    if (!validate(value)) errors.push(...(validate.errors ?? []).map((e) => `${where}${e.instancePath}: ${e.message}`));
  };
  if ((descriptor.profile ?? 'data-package') !== 'data-package')
    errors.push(`profile: expected data-package, got ${descriptor.profile}`);
  check(packageProfile, descriptor, 'package');
  (descriptor.resources ?? []).forEach((resource, i) => {
    if (resource.profile === 'tabular-data-resource') check(resourceProfile, resource, `resources/${i}`);
  });
  return errors;
}
