/**
 * The Python frameworks, most specific first: the first detector that finds evidence wins, and
 * `script` (last) always matches. Adding a framework means adding its detector here (and its template).
 */
import type { FrameworkDetector } from '../../../detectors/types.js';
import type { PythonFacts } from '../detect/facts.js';
import { django } from './django.js';
import { fastapi } from './fastapi.js';
import { flask } from './flask.js';
import { pythonScript } from './python-script.js';
import { starlette } from './starlette.js';
import { streamlit } from './streamlit.js';

export const pythonFrameworks: FrameworkDetector<PythonFacts>[] = [django, fastapi, starlette, flask, streamlit, pythonScript];
