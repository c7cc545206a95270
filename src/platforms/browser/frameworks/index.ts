/**
 * The browser frameworks, most specific first: the first detector that finds evidence wins. A
 * browser app none of them matches (Create React App, Angular…) is left out, and detection says so
 * (candidates.ts).
 */
import type { FrameworkDetector } from '../../../detectors/types.js';
import type { NodeFacts } from '../../node/detect/facts.js';
import { vite } from './vite.js';

export const browserFrameworks: FrameworkDetector<NodeFacts>[] = [vite];
