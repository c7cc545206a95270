// addStateCopies: the COPY of .ez-pixel/ goes before each install step that cannot see it yet,
// for Node and Python Dockerfiles alike, and nowhere else; what it cannot place is said.
import { describe, expect, it } from 'vitest';
import { addStateCopies, DOCKER_MARKER, planDockerfileCopies } from '../src/plan/dockerfile.js';
import { removeLine } from '../src/plan/line-file.js';

describe('addStateCopies', () => {
  it('puts the COPY before npm ci when only the manifests were copied, and it comes back out byte for byte', () => {
    const text = 'FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nCMD ["node", "index.js"]\n';
    const { after, added, manual } = addStateCopies(text);
    expect(after).toBe(`FROM node:20\nWORKDIR /app\nCOPY package*.json ./\n${DOCKER_MARKER}\nCOPY .ez-pixel ./.ez-pixel\nRUN npm ci\nCOPY . .\nCMD ["node", "index.js"]\n`);
    expect(manual).toEqual([]);
    expect(added.reduce<string>((current, line) => removeLine(current, line)!, after)).toBe(text);
  });

  it('does the same for a Python image: COPY pyproject.toml uv.lock ./ then uv sync', () => {
    const text = 'FROM python:3.12-slim\nWORKDIR /srv\nCOPY pyproject.toml uv.lock /srv/\nRUN uv sync --frozen --no-dev\nCOPY . /srv\n';
    expect(addStateCopies(text).added).toEqual([DOCKER_MARKER, 'COPY .ez-pixel /srv/.ez-pixel']);
  });

  it('recognises poetry, pip -r, pnpm, yarn and bun installs, and not a global npm i -g', () => {
    for (const run of ['RUN poetry install --no-root', 'RUN pip install -r requirements.txt', 'RUN pip install --no-cache-dir -r requirements.txt',
      'RUN python -m pip install --upgrade --index-url https://pypi.org/simple -r requirements.txt', 'RUN pip3 install --no-cache-dir --upgrade .', 'RUN pnpm install --frozen-lockfile', 'RUN yarn --frozen-lockfile', 'RUN bun install']) {
      expect(addStateCopies(`FROM x\nCOPY a b ./\n${run}\n`).added, run).toHaveLength(2);
    }
    const global = addStateCopies('FROM x\nCOPY package.json pnpm-lock.yaml ./\nRUN npm i -g pnpm\nRUN pnpm install\n').after.split('\n');
    expect(global.indexOf('COPY .ez-pixel ./.ez-pixel')).toBe(global.indexOf('RUN pnpm install') - 1);
    expect(global.filter((line) => line === DOCKER_MARKER)).toHaveLength(1);
  });

  it('changes nothing when the whole context is copied first, or .ez-pixel already is, or nothing installs', () => {
    for (const text of ['FROM node\nCOPY . .\nRUN npm ci\n', 'FROM node\nCOPY package.json ./\nCOPY .ez-pixel ./.ez-pixel\nRUN npm ci\n', 'FROM node\nCOPY dist ./dist\nCMD ["node", "dist/index.js"]\n']) {
      expect(addStateCopies(text).after).toBe(text);
    }
  });

  it('treats each stage on its own, keeps --chown, CRLF, and continuation lines', () => {
    const text = 'FROM node AS a\r\nCOPY --chown=node:node package.json \\\r\n  package-lock.json ./\r\nRUN npm ci \\\r\n  --omit=dev\r\nFROM node\r\nCOPY package.json ./\r\nRUN npm install\r\n';
    const { after, added } = addStateCopies(text);
    expect(added).toEqual([DOCKER_MARKER, 'COPY --chown=node:node .ez-pixel ./.ez-pixel', DOCKER_MARKER, 'COPY .ez-pixel ./.ez-pixel']);
    expect(after).toContain('package-lock.json ./\r\n# ez-pixel');
    expect(after.split('\n').every((line, index, all) => index === all.length - 1 || line.endsWith('\r'))).toBe(true);
  });

  it('does not guess over a bind-mounted install or a COPY whose destination is a file', () => {
    const mount = addStateCopies('FROM node\nRUN --mount=type=bind,source=package.json,target=package.json npm ci\n');
    expect(mount.added).toEqual([]);
    expect(mount.manual[0]).toContain('bind mount');
    const file = addStateCopies('FROM node\nCOPY package.json package.json\nRUN npm ci\n');
    expect(file.added).toEqual([]);
    expect(file.manual[0]).toContain('no destination');
  });
});

describe('planDockerfileCopies', () => {
  it('records the lines it adds, keeps them on a re-run, and warns about a .dockerignore that hides .ez-pixel/', async () => {
    const files: Record<string, string> = { Dockerfile: 'FROM node\nCOPY package.json ./\nRUN npm ci\n', '.dockerignore': 'node_modules\n.*\n' };
    const read = async (path: string) => files[path] ?? null;
    const first = await planDockerfileCopies(read, []);
    expect(first.lines.map((line) => line.line)).toEqual([DOCKER_MARKER, 'COPY .ez-pixel ./.ez-pixel']);
    expect(first.notes.join('\n')).toContain('.dockerignore has ".*"');
    files.Dockerfile = first.edits[0]!.after!;
    const again = await planDockerfileCopies(read, first.lines);
    expect(again.edits).toEqual([]);
    expect(again.lines).toEqual(first.lines);
  });
});
