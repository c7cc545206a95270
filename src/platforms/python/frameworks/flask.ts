/** Flask: the module that creates the app, `Flask(...)` or an application factory `create_app`. */
import type { PythonFacts } from '../detect/facts.js';
import { appFile } from '../detect/app-file.js';
import { packageDirectories } from '../detect/modules.js';
import type { FrameworkDetector } from '../../../detectors/types.js';

const conventional = ['app.py', 'wsgi.py', 'application.py', 'main.py', 'src/app.py', 'app/__init__.py'];

export const flask: FrameworkDetector<PythonFacts> = {
  runtime: 'python',
  framework: 'flask',

  async detect(facts) {
    const declared = facts.dependencies.get('flask');
    return declared ? [{ about: 'framework', says: `${declared} depends on flask` }] : null;
  },

  async entry(facts) {
    const packages = (await packageDirectories(facts.files)).map((pkg) => `${pkg}/__init__.py`);
    return appFile(facts.files, [...conventional, ...packages], /\bFlask\s*\(|\bdef\s+create_app\s*\(/, 'Flask app');
  },
};
