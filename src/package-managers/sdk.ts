/** Where install keeps its record and the copied artifact, relative to the project root. */
export const STATE_DIR = '.ez-pixel';
