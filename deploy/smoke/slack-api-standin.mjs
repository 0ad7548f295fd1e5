/**
 * Slack's side for the compose smoke run (deploy/compose-smoke.sh), in its own
 * container on the compose network: the one Web API method the bot calls at
 * start-up, auth.test (Slack's answer shape; invalid_auth for any other
 * token), and response_url endpoints that record what the bot posts. Other
 * methods get Slack's unknown_method. GET /seen lists what arrived.
 * Plain Node, no dependencies: it is mounted into a drillbot container, not built in.
 */
import http from "node:http";

const port = Number(process.env.STANDIN_PORT || 8080);
const token = process.env.STANDIN_BOT_TOKEN;
const seen = [];

function json(res, status, body) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

http
  .createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://standin");
      if (req.method === "GET" && url.pathname === "/health") return json(res, 200, { ok: true });
      if (req.method === "GET" && url.pathname === "/seen") return json(res, 200, seen);
      if (req.method === "POST" && url.pathname.startsWith("/api/")) {
        const method = url.pathname.slice("/api/".length);
        seen.push({ method });
        const auth = req.headers.authorization ?? "";
        if (!token || auth !== `Bearer ${token}`) return json(res, 200, { ok: false, error: "invalid_auth" });
        if (method === "auth.test") {
          return json(res, 200, { ok: true, url: "https://smoke.slack.invalid/", team: "Smoke", user: "drillbot", team_id: "T0SMOKE", user_id: "U0BOT", bot_id: "B0BOT", is_enterprise_install: false });
        }
        return json(res, 200, { ok: false, error: "unknown_method" });
      }
      if (req.method === "POST" && url.pathname.startsWith("/response/")) {
        let message;
        try {
          message = JSON.parse(body);
        } catch {
          return json(res, 400, { ok: false, error: "invalid_json" });
        }
        seen.push({ response: url.pathname.slice("/response/".length), text: typeof message.text === "string" ? message.text : "" });
        return json(res, 200, { ok: true });
      }
      json(res, 404, { ok: false, error: "not_found" });
    });
  })
  .listen(port, "0.0.0.0", () => console.log(`slack stand-in on port ${port}`));
