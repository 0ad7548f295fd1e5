/**
 * docker-compose.yml, the Dockerfile, .dockerignore and .env.example read as
 * Docker reads them, checked against what the code and the docs say: the
 * start commands, the operator port, the shutdown bound, Redis's persistence,
 * Prometheus's targets, and that the image holds everything the app imports.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { loadConfig } from "../../bots/config.js";
import {
  composeDefault,
  dockerEnv,
  dockerIgnored,
  drillbotServices,
  durationMs,
  execForm,
  healthcheck,
  readCompose,
  readDockerfile,
  root,
  run,
  which,
} from "./deploy-files.js";

const compose = readCompose();
const dockerfile = readDockerfile();
const lastStage = Math.max(...dockerfile.map((i) => i.stage));
const runtime = dockerfile.filter((i) => i.stage === lastStage);
const cmd = execForm(runtime.filter((i) => i.op === "CMD").at(-1)!.args);
const START = ["node", "--import", "tsx", "bots/main.ts"];

/** KEY=value lines of an env file, as `env_file` reads them. */
function envFile(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(path.join(root, file), "utf8").split("\n")) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

/** The environment a drillbot container starts with: image ENV, then env_file (.env.example), then compose's environment. */
function containerEnv(service: string): Record<string, string> {
  return { ...dockerEnv(dockerfile, lastStage), ...envFile(".env.example"), ...compose.services[service]!.environment };
}

describe("the start commands", () => {
  it("the image runs node directly, in exec form, with no entrypoint script in front (PID 1 gets SIGTERM)", () => {
    // `bot`, not the bare command: without tokens it exits 2 with a reason instead of opening the terminal shell.
    expect(cmd).toEqual([...START, "bot"]);
    const entrypoint = runtime.filter((i) => i.op === "ENTRYPOINT").at(-1);
    expect(entrypoint && execForm(entrypoint.args)).toEqual([]);
    expect(runtime.find((i) => i.op === "STOPSIGNAL")?.args).toBe("SIGTERM");
    expect(cmd).not.toContain("npm");
  });

  it("compose runs the bot with the image's command and two workers with `worker`, the documented commands", () => {
    const services = drillbotServices(compose);
    expect(compose.services.bot?.command).toEqual(cmd);
    const workers = services.filter(([, s]) => s.command?.at(-1) === "worker");
    expect(workers.map(([name]) => name)).toEqual(["worker-1", "worker-2"]);
    for (const [, s] of workers) expect(s.command).toEqual([...START, "worker"]);
    expect(services.map(([name]) => name).sort()).toEqual(["bot", "worker-1", "worker-2"]);
    const ops = readFileSync(path.join(root, "docs/OPERATIONS.md"), "utf8");
    expect(ops).toContain([...START, "bot"].join(" "));
    expect(ops).toContain([...START, "worker"].join(" "));
  });
});

describe("the image", () => {
  it("installs production dependencies only, in a stage of its own, on glibc Debian, and runs as a non-root user", () => {
    const from = dockerfile.filter((i) => i.op === "FROM");
    expect(from.length).toBeGreaterThanOrEqual(2);
    const arg = dockerfile.find((i) => i.op === "ARG" && i.args.startsWith("NODE_IMAGE="));
    expect(arg?.args).toMatch(/^NODE_IMAGE=node:20-bookworm-slim$/);
    const npmCi = dockerfile.find((i) => i.op === "RUN" && /\bnpm ci\b/.test(i.args));
    expect(npmCi?.args).toMatch(/--omit=dev/);
    expect(npmCi!.stage).toBeLessThan(lastStage);
    expect(runtime.some((i) => i.op === "RUN" && /\bnpm (ci|install)\b/.test(i.args))).toBe(false);
    expect(runtime.find((i) => i.op === "COPY" && i.args.includes("node_modules"))?.args).toMatch(/^--from=\S+ \/app\/node_modules/);
    const user = runtime.filter((i) => i.op === "USER").at(-1)?.args;
    expect(user).toBeDefined();
    expect(["root", "0"]).not.toContain(user);
    const env = dockerEnv(dockerfile, lastStage);
    expect(env).toMatchObject({ NODE_ENV: "production", LOG_FORMAT: "json" });
    // The values the image sets are ones drillbot accepts.
    const config = loadConfig(env, root);
    expect(config.logFormat).toBe("json");
    expect(config.metricsPort).toBe(Number(env.METRICS_PORT));
  });

  it("exposes the operator port it sets, and its HEALTHCHECK runs the health script with room for the script's own timeout", () => {
    const port = dockerEnv(dockerfile, lastStage).METRICS_PORT!;
    const exposed = runtime.filter((i) => i.op === "EXPOSE").flatMap((i) => i.args.split(" "));
    expect(exposed).toContain(port);
    const hc = healthcheck(dockerfile);
    expect(hc.command).toEqual(["node", "deploy/healthcheck.mjs"]);
    const script = readFileSync(path.join(root, "deploy/healthcheck.mjs"), "utf8");
    const scriptTimeout = Number(/HEALTHCHECK_TIMEOUT_MS \|\| (\d+)/.exec(script)?.[1]);
    expect(durationMs(hc.options.timeout!)).toBeGreaterThan(scriptTimeout);
    expect(durationMs(hc.options["start-period"]!)).toBeGreaterThanOrEqual(30_000);
  });

  it("the build context has what the image copies and leaves out dependencies, data, secrets and tests", () => {
    const sources = runtime
      .filter((i) => i.op === "COPY" && !i.args.startsWith("--from"))
      .flatMap((i) => i.args.split(" ").slice(0, -1));
    expect(sources.length).toBeGreaterThan(0);
    for (const src of sources) expect({ src, ignored: dockerIgnored(src) }).toEqual({ src, ignored: false });
    for (const kept of ["node_modules", "node_modules/x/index.js", ".env", ".data/redis/appendonlydir", ".git/HEAD", "test/deploy/x.test.ts", "bench/run.ts", "docs/OPERATIONS.md", "deploy/compose-smoke.sh"]) {
      expect({ kept, ignored: dockerIgnored(kept) }).toEqual({ kept, ignored: true });
    }
  });

  it("holds every module the app loads: relative imports stay inside the copied folders and packages are production dependencies", () => {
    const copied = runtime
      .filter((i) => i.op === "COPY" && !i.args.startsWith("--from"))
      .flatMap((i) => i.args.split(" ").slice(0, -1))
      .map((p) => path.join(root, p));
    const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    const problems: string[] = [];
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) => {
        const p = path.join(dir, f);
        return statSync(p).isDirectory() ? walk(p) : /\.(ts|js|mjs)$/.test(f) ? [p] : [];
      });
    const files = ["bots", "core"].flatMap((d) => walk(path.join(root, d)));
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/^\s*(?:import|export)\s+(?!type\s)(?:[^;]*?\sfrom\s+)?["']([^"']+)["']/gm)) {
        const spec = m[1]!;
        const where = path.relative(root, file);
        if (spec.startsWith(".")) {
          const target = path.resolve(path.dirname(file), spec);
          if (!copied.some((c) => target === c || target.startsWith(c + path.sep))) problems.push(`${where} imports ${spec}, outside what the image copies`);
        } else if (!spec.startsWith("node:") && !builtinModules.includes(spec)) {
          const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!;
          if (!pkg.dependencies[name]) problems.push(`${where} imports ${name}, not a production dependency`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

describe("the compose file", () => {
  it("runs Redis with an append-only file fsynced every second, no eviction, a named volume and a health check", () => {
    const redis = compose.services.redis!;
    expect(composeDefault(redis.image!)).toBe("redis:7");
    const args = redis.command!;
    expect(args[0]).toBe("redis-server");
    const opt = (name: string) => args[args.indexOf(`--${name}`) + 1];
    expect(opt("appendonly")).toBe("yes");
    expect(opt("appendfsync")).toBe("everysec");
    expect(opt("maxmemory-policy")).toBe("noeviction");
    const volume = redis.volumes!.find((v) => v.endsWith(`:${opt("dir")}`));
    expect(volume?.split(":")[0]).toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain(volume!.split(":")[0]);
    expect(redis.healthcheck?.test.join(" ")).toMatch(/redis-cli ping/);
    expect(redis.ports).toBeUndefined();
  });

  it("starts drillbot only once Redis is healthy, with .env, REDIS_URL pointing at the redis service and the image's operator port", () => {
    const port = dockerEnv(dockerfile, lastStage).METRICS_PORT;
    for (const [name, s] of drillbotServices(compose)) {
      expect({ name, depends: s.depends_on }).toMatchObject({ name, depends: { redis: { condition: "service_healthy" } } });
      expect({ name, env_file: s.env_file }).toEqual({ name, env_file: ".env" });
      expect(new URL(s.environment!.REDIS_URL!).hostname).toBe("redis");
      expect(s.environment!.METRICS_PORT).toBe(port);
      expect(s.restart).toBe("unless-stopped");
    }
  });

  it("gives each drillbot container longer to stop than drillbot's own bound (shutdown grace + 9 s) before SIGKILL", () => {
    for (const [name] of drillbotServices(compose)) {
      const grace = loadConfig(containerEnv(name), root).shutdownGraceMs;
      expect(grace).toBe(20_000);
      // bots/ops/lifecycle.ts: the whole shutdown is bounded by grace + 9 s.
      expect({ name, stopMs: durationMs(compose.services[name]!.stop_grace_period!) }).toEqual({ name, stopMs: expect.toSatisfy((ms: number) => ms > grace + 9_000) });
    }
  });

  it(".env.example is a configuration drillbot accepts as it is, and sets nothing compose sets itself", () => {
    const example = envFile(".env.example");
    expect(() => loadConfig({ ...dockerEnv(dockerfile, lastStage), ...example, ...compose.services.bot!.environment }, root)).not.toThrow();
    expect(example.REDIS_URL).toBeUndefined();
    expect(example.METRICS_PORT).toBeUndefined();
    for (const [key, value] of Object.entries(example)) expect({ key, value }).toEqual({ key, value: expect.not.stringMatching(/\s#/) });
  });

  it("Prometheus is optional (a profile) and scrapes every drillbot service on its operator port, with the alert rules loaded", () => {
    const prom = compose.services.prometheus!;
    expect(prom.profiles).toEqual(["monitoring"]);
    const mount = prom.volumes!.find((v) => v.startsWith("./deploy/prometheus:"));
    expect(mount).toBe("./deploy/prometheus:/etc/prometheus:ro");
    expect(prom.command).toContain("--config.file=/etc/prometheus/prometheus.yml");
    const config = parseYaml(readFileSync(path.join(root, "deploy/prometheus/prometheus.yml"), "utf8")) as {
      rule_files: string[];
      scrape_configs: { job_name: string; metrics_path?: string; static_configs: { targets: string[] }[] }[];
    };
    expect(config.rule_files).toEqual(["alerts.yml"]);
    const job = config.scrape_configs.find((j) => j.job_name === "drillbot")!;
    expect(job.metrics_path ?? "/metrics").toBe("/metrics");
    const targets = job.static_configs.flatMap((c) => c.targets).sort();
    const expected = drillbotServices(compose).map(([name, s]) => `${name}:${s.environment!.METRICS_PORT}`).sort();
    expect(targets).toEqual(expected);
  });
});

describe("the systemd units (bare node, no Docker)", () => {
  /** Key=value lines of a unit file; repeated keys (Environment=) collected in order. */
  function unit(file: string): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const line of readFileSync(path.join(root, "deploy/systemd", file), "utf8").split("\n")) {
      const m = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
      if (m) out.set(m[1]!, [...(out.get(m[1]!) ?? []), m[2]!]);
    }
    return out;
  }

  it("run the documented commands with node directly, stop with SIGTERM, and wait longer than drillbot's own bound", () => {
    for (const [file, command] of [
      ["drillbot.service", [...START, "bot"]],
      ["drillbot-worker@.service", [...START, "worker"]],
    ] as const) {
      const u = unit(file);
      expect({ file, exec: u.get("ExecStart")?.[0] }).toEqual({ file, exec: `/usr/bin/${command.join(" ")}` });
      expect(u.get("KillSignal")).toEqual(["SIGTERM"]);
      expect(u.get("KillMode")).toEqual(["mixed"]);
      const env = Object.fromEntries(u.get("Environment")!.flatMap((e) => e.split(" ")).map((kv) => kv.split("=") as [string, string]));
      expect(env).toMatchObject({ NODE_ENV: "production", LOG_FORMAT: "json" });
      expect(env.METRICS_PORT).toMatch(/^94/);
      const grace = loadConfig({}, root).shutdownGraceMs;
      expect(Number(u.get("TimeoutStopSec")![0]) * 1000).toBeGreaterThan(grace + 9_000);
    }
  });

  it.skipIf(!which("systemd-analyze"))("pass systemd-analyze verify", async () => {
    for (const file of ["drillbot.service", "drillbot-worker@.service"]) {
      const res = await run("systemd-analyze", ["verify", `./${file}`], { cwd: path.join(root, "deploy/systemd") });
      expect({ file, code: res.code, complaints: (res.stdout + res.stderr).trim() }).toEqual({ file, code: 0, complaints: "" });
    }
  });
});

describe("docs/OPERATIONS.md", () => {
  it("lists every alert with the expression and duration alerts.yml gives it", () => {
    const ops = readFileSync(path.join(root, "docs/OPERATIONS.md"), "utf8");
    const rules = (parseYaml(readFileSync(path.join(root, "deploy/prometheus/alerts.yml"), "utf8")) as { groups: { rules: { alert: string; expr: string; for: string }[] }[] }).groups.flatMap((g) => g.rules);
    expect(rules.length).toBeGreaterThan(5);
    for (const r of rules) {
      const expr = r.expr.trim().replace(/\s+/g, " ").replace(/\|/g, "\\|");
      expect({ alert: r.alert, documented: ops.includes(`| ${r.alert} | \`${expr}\` | ${r.for} |`) }).toEqual({ alert: r.alert, documented: true });
    }
  });

  it("gives the backup command the backup test runs, and the compose commands the services use", () => {
    const ops = readFileSync(path.join(root, "docs/OPERATIONS.md"), "utf8");
    expect(ops).toContain("docker compose exec -T redis sh -s < deploy/redis-aof-backup.sh > ");
    for (const name of Object.keys(compose.services)) expect({ name, mentioned: ops.includes(name) }).toEqual({ name, mentioned: true });
  });
});
