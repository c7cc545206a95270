// Kept in step with package.json by test/package.test.ts.
export const SDK_NAME = 'ez-pixel-node';
export const SDK_VERSION = '0.2.0';
export const USER_AGENT = `${SDK_NAME}/${SDK_VERSION}`;
