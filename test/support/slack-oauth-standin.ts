/**
 * Slack's OAuth side, for the Slack stand-in (docs.slack.dev: "Installing
 * with OAuth", oauth.v2.access, "Using token rotation"):
 * - the authorize page is the person's part: `issueCode` is what Slack hands
 *   the redirect after they allow the app (one use, 10 minutes);
 * - oauth.v2.access checks the client id and secret (form fields or HTTP
 *   Basic) and trades a code for a bot token (its team, enterprise, bot user,
 *   scopes); with token rotation also a refresh token and expires_in (12 h),
 *   and grant_type=refresh_token trades a refresh token for a new access
 *   token AND a new refresh token: the old refresh token is then refused
 *   (invalid_refresh_token), as it is after an uninstall;
 * - tokens: `problem` says what Slack answers a Web API call with one
 *   (invalid_auth unknown, token_revoked after an uninstall, token_expired
 *   past its 12 hours); an access token replaced by a refresh stays good
 *   until its own expiry.
 */
import { randomBytes } from "node:crypto";

export interface InstallTarget {
  /** The workspace (absent for an org-wide install). */
  team?: { id: string; name: string };
  enterprise?: { id: string; name: string };
  isEnterpriseInstall?: boolean;
  /** The person who installed (authed_user.id). */
  installer?: string;
}

export interface TokenIdentity {
  kind: "bot" | "refresh";
  /** The team id, or the enterprise id for an org-wide install. */
  owner: string;
  install: InstallTarget;
  botUserId: string;
  botId: string;
  scopes: readonly string[];
  expiresAtMs?: number;
  revoked?: boolean;
  /** A refresh token, once traded. */
  used?: boolean;
}

/** A code is good for one exchange within this long (Slack: 10 minutes). */
const CODE_TTL_MS = 10 * 60_000;
/** A rotating access token lives this long (Slack: 12 hours). */
export const ROTATING_TOKEN_TTL_S = 43_200;

const random = () => randomBytes(12).toString("hex");

export class SlackOAuthStandin {
  /** The app's credentials; unset: every exchange is refused. */
  app: { clientId: string; clientSecret: string; appId: string } | undefined;
  /** The app has token rotation turned on (token_rotation_enabled in its manifest). */
  rotation = false;
  /** A test may shorten a rotating token's life. */
  tokenTtlS = ROTATING_TOKEN_TTL_S;
  private readonly codes = new Map<string, { install: InstallTarget; scopes: readonly string[]; atMs: number; used: boolean }>();
  private readonly tokens = new Map<string, TokenIdentity>();

  constructor(private readonly now: () => number) {}

  /** What Slack's authorize page gives the redirect once the person allows the app. */
  issueCode(install: InstallTarget, scopes: readonly string[]): string {
    const code = `${Date.now()}.${random()}`;
    this.codes.set(code, { install, scopes, atMs: this.now(), used: false });
    return code;
  }

  identity(token: string): TokenIdentity | undefined {
    return this.tokens.get(token);
  }

  /** The issued bot tokens of a workspace (or enterprise), newest last. */
  botTokensOf(owner: string): string[] {
    return [...this.tokens].filter(([, t]) => t.kind === "bot" && t.owner === owner).map(([k]) => k);
  }

  /** Every token issued, of either kind. */
  issued(): string[] {
    return [...this.tokens.keys()];
  }

  /** What Slack answers a Web API call with this token: an error code, or null when it works. */
  problem(token: string): string | null {
    const t = this.tokens.get(token);
    if (!t || t.kind !== "bot") return "invalid_auth";
    if (t.revoked) return "token_revoked";
    if (t.expiresAtMs !== undefined && t.expiresAtMs <= this.now()) return "token_expired";
    return null;
  }

  /** The app is uninstalled from a workspace (or org): every token of it is revoked. */
  uninstall(owner: string): void {
    for (const t of this.tokens.values()) if (t.owner === owner) t.revoked = true;
  }

  authTest(t: TokenIdentity): Record<string, unknown> {
    const team = t.install.team;
    return {
      ok: true,
      url: `https://${(team?.name ?? t.owner).toLowerCase().replace(/[^a-z0-9]/g, "")}.slack.invalid/`,
      team: team?.name ?? t.install.enterprise?.name,
      user: "drillbot",
      team_id: team?.id ?? t.owner,
      user_id: t.botUserId,
      bot_id: t.botId,
      ...(t.install.enterprise ? { enterprise_id: t.install.enterprise.id } : {}),
      is_enterprise_install: t.install.isEnterpriseInstall === true,
    };
  }

  /** oauth.v2.access: a code exchange or (grant_type=refresh_token) a refresh. */
  access(body: Record<string, any>, authorization: string | undefined): Record<string, unknown> {
    const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? "")?.[1];
    const [basicId, basicSecret] = basic ? Buffer.from(basic, "base64").toString("utf8").split(":") : [];
    const clientId = String(body.client_id ?? basicId ?? "");
    const clientSecret = String(body.client_secret ?? basicSecret ?? "");
    if (!this.app || clientId !== this.app.clientId) return { ok: false, error: "invalid_client_id" };
    if (clientSecret !== this.app.clientSecret) return { ok: false, error: "bad_client_secret" };
    if (body.grant_type === "refresh_token") {
      const old = this.tokens.get(String(body.refresh_token ?? ""));
      if (!old || old.kind !== "refresh" || old.used || old.revoked) return { ok: false, error: "invalid_refresh_token" };
      old.used = true;
      return this.grant(old.install, old.scopes, old);
    }
    const code = this.codes.get(String(body.code ?? ""));
    if (!code || code.used || this.now() - code.atMs > CODE_TTL_MS) return { ok: false, error: "invalid_code" };
    code.used = true;
    return this.grant(code.install, code.scopes);
  }

  private grant(install: InstallTarget, scopes: readonly string[], from?: TokenIdentity): Record<string, unknown> {
    const owner = install.isEnterpriseInstall ? install.enterprise!.id : install.team!.id;
    const botUserId = from?.botUserId ?? `UB${owner}`;
    const botId = from?.botId ?? `B${owner}`;
    const base = { owner, install, botUserId, botId, scopes };
    const rotating = this.rotation;
    const access = rotating ? `xoxe.xoxb-1-${random()}` : `xoxb-${owner}-${random()}`;
    this.tokens.set(access, { ...base, kind: "bot", ...(rotating ? { expiresAtMs: this.now() + this.tokenTtlS * 1000 } : {}) });
    const refresh = rotating ? `xoxe-1-${random()}` : undefined;
    if (refresh) this.tokens.set(refresh, { ...base, kind: "refresh" });
    return {
      ok: true,
      app_id: this.app!.appId,
      authed_user: { id: install.installer ?? "UINSTALLER" },
      scope: scopes.join(","),
      token_type: "bot",
      access_token: access,
      bot_user_id: botUserId,
      team: install.isEnterpriseInstall ? null : install.team,
      enterprise: install.enterprise ?? null,
      is_enterprise_install: install.isEnterpriseInstall === true,
      ...(refresh ? { refresh_token: refresh, expires_in: this.tokenTtlS } : {}),
    };
  }
}
