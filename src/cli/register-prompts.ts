// Interactive completion of `mcpgw register` on a terminal: asks only for what flags left out.
import { input, select } from '@inquirer/prompts';
import { SERVICE_NAME, TRANSPORTS } from '../core/config/service.js';
import { isHttpUrl } from '../core/config/common.js';
import type { RegisterOptions } from './registry.js';

export async function promptForMissing(opts: RegisterOptions): Promise<RegisterOptions> {
  const answers = { ...opts };
  answers.name ??= await input({
    message: 'Service name',
    validate: (v) => SERVICE_NAME.test(v) || 'lowercase letters, digits and dashes',
  });
  if (!answers.upstream?.length && !answers.command) {
    const kind = answers.transport ?? (await select({ message: 'Transport', choices: TRANSPORTS.map((t) => ({ value: t })) }));
    answers.transport = kind;
    if (kind === 'stdio') {
      answers.command = await input({ message: 'Command line', validate: (v) => v.trim() !== '' || 'required' });
    } else {
      answers.upstream = [await input({ message: 'Upstream URL', validate: (v) => isHttpUrl(v) || 'an http(s) URL, e.g. http://127.0.0.1:9000/mcp' })];
    }
  }
  answers.description ??= await input({ message: 'Description', default: '' });
  if (!answers.tag) {
    const tags = await input({ message: 'Tags (comma separated)', default: '' });
    answers.tag = tags.split(',').map((t) => t.trim()).filter(Boolean);
  }
  return answers;
}
