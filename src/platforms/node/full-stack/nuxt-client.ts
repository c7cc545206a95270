/**
 * Nuxt's ClientSide: one created file, the `.client` plugin (templates/nuxt-client.ts); no file of
 * the app gets a line, so there is nothing to take out of one.
 */
import { checkNuxtClientBuild } from '../doctor/nuxt-build-check.js';
import { nuxtClientPlugin, nuxtClientPluginSource } from '../templates/nuxt-client.js';
import { clientInitEdit, type ClientSide } from './client-side.js';

export const nuxtClientSide: ClientSide = {
  async plan(project, settings, read) {
    const edit = await clientInitEdit(nuxtClientPlugin(project), nuxtClientPluginSource(settings), settings, read);
    return { edits: edit ? [edit] : [], notes: [] };
  },
  removeLines: async () => ({ kind: 'absent' }),
  checks: checkNuxtClientBuild,
};
