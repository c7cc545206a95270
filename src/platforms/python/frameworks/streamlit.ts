/**
 * Streamlit: `streamlit run <script>` runs the entry, so the script that command names (in a
 * Procfile, Dockerfile, README, Makefile, package scripts or the devcontainer) is the entry; else
 * the conventional script names (Community Cloud's `streamlit_app.py` first) that import streamlit.
 */
import type { Evidence } from '../../../project.js';
import type { PythonFacts } from '../detect/facts.js';
import { appFile } from '../detect/app-file.js';
import { found, type FrameworkDetector } from '../../../detectors/types.js';

const conventional = ['streamlit_app.py', 'app.py', 'main.py', 'Home.py', 'Hello.py', 'src/streamlit_app.py', 'src/app.py', 'app/main.py'];

export const streamlit: FrameworkDetector<PythonFacts> = {
  runtime: 'python',
  framework: 'streamlit',

  async detect(facts) {
    const declared = facts.dependencies.get('streamlit');
    if (!declared) return null;
    const evidence: Evidence[] = [{ about: 'framework', says: `${declared} depends on streamlit` }];
    if (await facts.files.isDirectory('.streamlit')) evidence.push({ about: 'framework', says: '.streamlit/ holds its configuration' });
    return evidence;
  },

  async entry(facts) {
    for (const start of facts.starts.filter((s) => s.tool === 'streamlit')) {
      if (await facts.files.isFile(start.target)) return found(start.target, [{ about: 'entry', says: `${start.from} starts it with ${start.command}` }]);
    }
    return appFile(facts.files, conventional, /^\s*(import\s+streamlit\b|from\s+streamlit\b)/m, 'Streamlit script');
  },
};
