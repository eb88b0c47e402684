/**
 * The Gladly source's `config:` block. The API host is never typed in: it is built from the
 * organization subdomain on `gladly.com` or `gladly.qa` (and their region shards), so a
 * typo cannot send the agent's credentials to somebody else's server. `baseUrl` exists for
 * the emulator and self-hosted proxies; `check` says loudly when it is in use.
 */
import { z } from 'zod';

/** One DNS label: what a subdomain or a region shard can be. */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** Gladly's published limit, per organization. */
export const GLADLY_REQUESTS_PER_SECOND = 10;

const organization = z
  .string()
  .trim()
  .toLowerCase()
  .superRefine((value, ctx) => {
    if (LABEL.test(value)) return;
    const host = /^(?:https?:\/\/)?([a-z0-9-]+)\.(?:([a-z0-9-]+)\.)?gladly\.(?:com|qa)\b/.exec(value);
    ctx.addIssue({
      code: 'custom',
      message: host
        ? `expected only the subdomain: for ${value.replace(/^https?:\/\//, '').split('/')[0]} enter "${host[1]}"${host[2] ? ` and set region: ${host[2]}` : ''}${value.includes('.qa') ? ' and sandbox: true' : ''}`
        : 'expected the organization subdomain, the first part of your Gladly URL (for myorg.gladly.com enter "myorg"): letters, digits and hyphens',
    });
  });

export const gladlyConfigSchema = z
  .strictObject({
    organization,
    /** A region shard, e.g. `us-1` for `myorg.us-1.gladly.com`. */
    region: z.string().trim().toLowerCase().regex(LABEL, 'expected a region shard such as us-1 (as in myorg.us-1.gladly.com)').optional(),
    /** The sandbox (`{org}.gladly.qa`) instead of production. */
    sandbox: z.boolean().default(false),
    email: z.email({ message: 'expected the email address of the agent the API token belongs to (that agent needs the API User permission)' }),
    apiToken: z.string().min(1, 'expected the API token from Gladly Settings > API Tokens'),
    /** Overrides the host built from organization/region/sandbox: the emulator or a proxy. */
    baseUrl: z.url({ protocol: /^https?$/, message: 'expected an http(s) URL such as http://127.0.0.1:4020/api/v1' }).optional(),
    /** Share of the organization's budget this source may use. */
    requestsPerSecond: z.number().int().min(1).max(1000).default(GLADLY_REQUESTS_PER_SECOND),
  })
  .superRefine((config, ctx) => {
    if (!config.baseUrl && config.requestsPerSecond > GLADLY_REQUESTS_PER_SECOND) {
      ctx.addIssue({
        code: 'custom',
        path: ['requestsPerSecond'],
        message: `Gladly allows ${GLADLY_REQUESTS_PER_SECOND} requests per second per organization; expected 1 to ${GLADLY_REQUESTS_PER_SECOND} (higher values only with a baseUrl override)`,
      });
    }
  });

export type GladlyConfig = z.infer<typeof gladlyConfigSchema>;

/** `https://{org}[.{region}].gladly.{com|qa}/api/v1`: the only hosts credentials go to by default. */
export function gladlyApiUrl(config: Pick<GladlyConfig, 'organization' | 'region' | 'sandbox'>): string {
  const region = config.region ? `.${config.region}` : '';
  return `https://${config.organization}${region}.gladly.${config.sandbox ? 'qa' : 'com'}/api/v1`;
}

/** Where requests actually go. */
export function gladlyBaseUrl(config: GladlyConfig): string {
  return (config.baseUrl ?? gladlyApiUrl(config)).replace(/\/+$/, '');
}

/** The settings the API host comes from, for errors that put the server in doubt. */
export function gladlyBaseUrlSettings(config: GladlyConfig): string[] {
  if (config.baseUrl) return ['baseUrl'];
  return ['organization', ...(config.region ? ['region'] : []), ...(config.sandbox ? ['sandbox'] : [])];
}
