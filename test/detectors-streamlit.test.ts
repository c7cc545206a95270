/**
 * Streamlit detection: streamlit among the dependencies of each manifest kind, the entry from the
 * `streamlit run <file>` a Procfile, Makefile, package scripts, Dockerfile, devcontainer or
 * pyproject task names, else the conventional script that imports streamlit; and the Python UI
 * frameworks ez-pixel detects but cannot wire.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { detect, type Detection } from '../src/detectors/index.js';
import type { Project } from '../src/project.js';
import { makeProject, removeFixtureCopies } from './helpers/fixtures.js';

afterAll(removeFixtureCopies);

function projectOf(detection: Detection): Project {
  if (detection.kind !== 'project') throw new Error(`expected a project, got ${JSON.stringify(detection)}`);
  return detection.project;
}

const script = 'import streamlit as st\nst.title("x")\n';
const says = (project: Project) => project.evidence.map((e) => e.says);

describe('Streamlit', () => {
  it.each([
    ['requirements.txt and a Procfile', { 'requirements.txt': 'streamlit>=1.30\npandas\n', Procfile: 'web: streamlit run src/dashboard.py --server.port $PORT\n', 'src/dashboard.py': script }, 'src/dashboard.py', 'Procfile starts it with streamlit run src/dashboard.py --server.port $PORT'],
    ['a Pipfile and a Makefile', { Pipfile: '[packages]\nstreamlit = "*"\n', Makefile: 'run:\n\tpipenv run streamlit run ui/Home.py\n', 'ui/Home.py': script }, 'ui/Home.py', 'Makefile starts it with streamlit run ui/Home.py'],
    ['poetry and package.json scripts', { 'pyproject.toml': '[tool.poetry]\nname = "p"\n\n[tool.poetry.dependencies]\npython = "^3.11"\nstreamlit = "^1.40"\n', 'package.json': '{ "scripts": { "start": "streamlit run app/ui.py" } }\n', 'app/ui.py': script }, 'app/ui.py', 'package.json starts it with streamlit run app/ui.py'],
    ["a Dockerfile's exec-form ENTRYPOINT", { 'pyproject.toml': '[project]\nname = "p"\nversion = "1"\ndependencies = ["streamlit==1.67.0"]\n', Dockerfile: 'FROM python:3.12\nCOPY . .\nENTRYPOINT ["streamlit", "run", "board.py", "--server.port=8501"]\n', 'board.py': script }, 'board.py', 'Dockerfile starts it with streamlit run board.py --server.port=8501'],
    ['the devcontainer of the Community Cloud template', { 'requirements.txt': 'streamlit\n', '.devcontainer/devcontainer.json': '{\n  "postAttachCommand": {\n    "server": "streamlit run streamlit_app.py --server.enableCORS false"\n  }\n}\n', 'streamlit_app.py': script, 'main.py': 'print(1)\n' }, 'streamlit_app.py', '.devcontainer/devcontainer.json starts it with streamlit run streamlit_app.py --server.enableCORS false'],
    ['a pyproject task (poe)', { 'pyproject.toml': '[project]\nname = "p"\nversion = "1"\ndependencies = ["streamlit"]\n\n[tool.poe.tasks]\nserve = "streamlit run reports/view.py"\n', 'reports/view.py': script }, 'reports/view.py', 'pyproject.toml starts it with streamlit run reports/view.py'],
    ['no start command: the conventional script that imports streamlit', { 'requirements.txt': 'streamlit\n', '.streamlit/config.toml': '[theme]\nbase = "dark"\n', 'app.py': 'print("not the UI")\n', 'Home.py': script }, 'Home.py', 'Home.py defines the Streamlit script'],
  ])('%s', async (name, files, entry, evidence) => {
    const project = projectOf(await detect(await makeProject(`streamlit-${name.replace(/\W+/g, '-')}`, files)));
    expect(project).toMatchObject({ runtime: 'python', framework: 'streamlit', entry });
    expect(says(project)).toContain(evidence);
    expect(project.unsupported).toBeUndefined();
  });

  it('says .streamlit/ holds its configuration', async () => {
    const project = projectOf(await detect(await makeProject('streamlit-config', { 'requirements.txt': 'streamlit\n', '.streamlit/config.toml': '', 'streamlit_app.py': script })));
    expect(says(project)).toEqual(expect.arrayContaining(['requirements.txt depends on streamlit', '.streamlit/ holds its configuration']));
  });

  it('reads only `streamlit run` from task files: `python setup.py` in a Makefile is no entry', async () => {
    const project = projectOf(await detect(await makeProject('makefile-python', { 'requirements.txt': 'requests\n', Makefile: 'dist:\n\tpython setup.py sdist\n', 'setup.py': 'from setuptools import setup\nsetup()\n', 'main.py': 'print(1)\n' })));
    expect(project).toMatchObject({ framework: 'script', entry: 'main.py' });
  });
});

describe('frameworks ez-pixel detects but cannot wire', () => {
  it.each([
    ['gradio', 'Gradio'],
    ['panel', 'Panel'],
    ['nicegui', 'NiceGUI'],
    ['shiny', 'Shiny for Python'],
  ])('%s is named as unsupported', async (dependency, name) => {
    const project = projectOf(await detect(await makeProject(`unsupported-${dependency}`, { 'requirements.txt': `${dependency}\n`, 'app.py': `import ${dependency}\n` })));
    expect(project.unsupported?.name).toBe(name);
    expect(says(project)).toContain(`requirements.txt depends on ${dependency}: ${name} is not supported (it catches ${project.unsupported?.catches} itself)`);
  });

  it('a supported framework beside it is wired as usual; --framework script opts out', async () => {
    const withFlask = await makeProject('gradio-flask', { 'requirements.txt': 'flask\ngradio\n', 'app.py': 'from flask import Flask\napp = Flask(__name__)\n' });
    expect(projectOf(await detect(withFlask))).toMatchObject({ framework: 'flask' });
    expect(projectOf(await detect(withFlask)).unsupported).toBeUndefined();
    const gradio = await makeProject('gradio-forced', { 'requirements.txt': 'gradio\n', 'app.py': 'import gradio\n' });
    expect(projectOf(await detect(gradio, { framework: 'script' })).unsupported).toBeUndefined();
  });
});
