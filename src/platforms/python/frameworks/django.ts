/**
 * Django: the init goes into the settings module, which manage.py, wsgi.py, asgi.py and celery all
 * load. Its name comes from DJANGO_SETTINGS_MODULE as manage.py sets it.
 */
import type { Evidence } from '../../../project.js';
import type { PythonFacts } from '../detect/facts.js';
import { moduleFile, packageDirectories } from '../detect/modules.js';
import { found, type FrameworkDetector } from '../../../detectors/types.js';

/** `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")` or `os.environ[...] = "..."`. */
const settingsAssignment = /DJANGO_SETTINGS_MODULE['"]\s*(?:,|\]\s*=)\s*(?:f?)['"]([\w.]+)['"]/;
const declaringFiles = ['manage.py', 'wsgi.py', 'asgi.py'];

export const django: FrameworkDetector<PythonFacts> = {
  runtime: 'python',
  framework: 'django',

  async detect(facts) {
    const evidence: Evidence[] = [];
    const declared = facts.dependencies.get('django');
    if (declared) evidence.push({ about: 'framework', says: `${declared} depends on django` });
    if (await facts.files.isFile('manage.py')) evidence.push({ about: 'framework', says: 'manage.py exists' });
    return evidence.length > 0 ? evidence : null;
  },

  async entry(facts) {
    for (const file of declaringFiles) {
      const module = settingsAssignment.exec((await facts.files.text(file)) ?? '')?.[1];
      if (!module) continue;
      const settings = await moduleFile(facts.files, module);
      if (settings) {
        return found(settings, [{ about: 'entry', says: `${file} sets DJANGO_SETTINGS_MODULE to ${module}: ${settings}` }]);
      }
    }
    for (const pkg of await packageDirectories(facts.files)) {
      const settings = await facts.files.firstFile([`${pkg}/settings.py`, `${pkg}/settings/__init__.py`]);
      if (settings) return found(settings, [{ about: 'entry', says: `${settings} is a Django settings module` }]);
    }
    return found(null, [{ about: 'entry', says: 'no DJANGO_SETTINGS_MODULE in manage.py and no settings.py found' }]);
  },
};
