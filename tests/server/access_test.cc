// The role matrix: every role of the chiltern pack, at one school (and ceo and
// it_manager for the whole trust), calls every route of gh::server::Routes()
// with a valid request. The expected status of each call comes from the table
// below, written by hand from what each role is for (the comments in
// src/auth/access.cc), not computed from the server's own table. Then the
// walls: no credential, another trust, another school, trust-wide records,
// and granting more than one holds.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "auth/password.h"
#include "base/base64.h"
#include "harness.h"
#include "model/schema.h"
#include "server/internal.h"

namespace gh::servertest {
namespace {

constexpr char kSchool[] = "beech-hill";
constexpr char kOtherSchool[] = "stockwood-vale";

// What a subject may do, by hand. pr/pw: pupil registers read/write; sr/sw:
// staff registers; pubw: public registers write (everyone reads them); users:
// manage accounts; audit: read the audit trail (trust-wide grants only).
struct Allowed {
  bool pr = false, pw = false, sr = false, sw = false, pubw = false, users = false, audit = false,
       policy = false, reports = false;
  // From words: "pr pw sr sw pubw users audit".
  static Allowed Of(std::string_view words) {
    Allowed a;
    std::istringstream in{std::string(words)};
    std::string w;
    while (in >> w) {
      bool* f = w == "pr"        ? &a.pr
                : w == "pw"      ? &a.pw
                : w == "sr"      ? &a.sr
                : w == "sw"      ? &a.sw
                : w == "pubw"    ? &a.pubw
                : w == "users"   ? &a.users
                : w == "audit"   ? &a.audit
                : w == "policy"  ? &a.policy
                : w == "reports" ? &a.reports
                                 : nullptr;
      if (f == nullptr) std::abort();
      *f = true;
    }
    return a;
  }
};

struct Subject {
  std::string role;
  bool trust_wide = false;
  Allowed may;
  std::string name() const { return role + (trust_wide ? "_trust" : "_school"); }
};

// - headteacher runs the school: every register of it, its users; the audit
//   trail spans schools so a school grant does not reach it.
// - ceo: manages users and every register but does not edit pupil rosters
//   (reads pupils as a safeguarding escalation route).
// - dsl and slt read pupils and staff, write nothing.
// - office keeps the pupil and parent registers (reads staff to record who
//   took a consent).
// - it_manager keeps the public registers, accounts and the staff roster;
//   never pupils.
// - governance (lgb, chair) and everyone else: screening and public lists.
std::vector<Subject> Subjects() {
  std::vector<Subject> s;
  auto add = [&](std::string role, bool tw, std::string_view may) {
    s.push_back({std::move(role), tw, Allowed::Of(may)});
  };
  add("headteacher", false, "pr pw sr sw pubw users reports");
  add("ceo", false, "pr sr sw pubw users reports");
  add("ceo", true, "pr sr sw pubw users audit policy reports");
  add("lgb", false, "reports");
  add("chair", false, "reports");
  add("slt", false, "pr sr");
  add("line_manager", false, "");
  add("dsl", false, "pr sr");
  add("central_staff", false, "");
  add("teacher", false, "");
  add("teaching_assistant", false, "");
  add("office", false, "pr pw sr");
  add("it_manager", false, "sr sw pubw users");
  add("it_manager", true, "sr sw pubw users audit");
  add("volunteer", false, "");
  return s;
}

// The register kinds tried on register routes, one per access class.
const std::vector<std::string> kKinds = {"pupils", "staff", "sites"};

bool CanRead(const Allowed& a, const std::string& kind) {
  if (kind == "pupils") return a.pr;
  if (kind == "staff") return a.sr;
  return true;  // sites: public
}
bool CanWrite(const Allowed& a, const std::string& kind) {
  if (kind == "pupils") return a.pw;
  if (kind == "staff") return a.sw;
  return a.pubw;
}

// Expected status per route, for a subject and (register routes) a kind.
using Expectation = std::function<int(const Allowed&, const std::string& kind)>;
const std::map<std::string, Expectation>& Expectations() {
  static const std::map<std::string, Expectation> e = {
      {"GET /healthz", [](auto&, auto&) { return 200; }},
      {"GET /api/v1/openapi.json", [](auto&, auto&) { return 200; }},
      {"POST /api/v1/login", [](auto&, auto&) { return 200; }},
      {"POST /api/v1/logout", [](auto&, auto&) { return 200; }},
      {"GET /api/v1/me", [](auto&, auto&) { return 200; }},
      {"POST /api/v1/me/password", [](auto&, auto&) { return 200; }},
      {"GET /api/v1/trust", [](auto&, auto&) { return 200; }},
      {"GET /api/v1/clauses", [](auto&, auto&) { return 200; }},
      {"GET /api/v1/tokens", [](auto&, auto&) { return 200; }},
      {"POST /api/v1/tokens", [](auto&, auto&) { return 201; }},
      {"DELETE /api/v1/tokens/{id}", [](auto&, auto&) { return 200; }},
      {"POST /api/v1/check", [](auto&, auto&) { return 200; }},
      {"POST /api/v1/images/strip", [](auto&, auto&) { return 200; }},
      {"GET /api/v1/registers", [](auto&, auto&) { return 200; }},
      {"GET /api/v1/registers/{kind}",
       [](const Allowed& a, const std::string& k) { return CanRead(a, k) ? 200 : 403; }},
      {"GET /api/v1/registers/{kind}/{id}",
       [](const Allowed& a, const std::string& k) { return CanRead(a, k) ? 200 : 403; }},
      {"PUT /api/v1/registers/{kind}/{id}",
       [](const Allowed& a, const std::string& k) { return CanWrite(a, k) ? 201 : 403; }},
      {"DELETE /api/v1/registers/{kind}/{id}",
       [](const Allowed& a, const std::string& k) { return CanWrite(a, k) ? 200 : 403; }},
      {"POST /api/v1/registers/{kind}/import",
       [](const Allowed& a, const std::string& k) { return CanWrite(a, k) ? 200 : 403; }},
      {"GET /api/v1/users", [](const Allowed& a, auto&) { return a.users ? 200 : 403; }},
      {"POST /api/v1/users", [](const Allowed& a, auto&) { return a.users ? 201 : 403; }},
      {"PATCH /api/v1/users/{id}", [](const Allowed& a, auto&) { return a.users ? 200 : 403; }},
      {"GET /api/v1/audit", [](const Allowed& a, auto&) { return a.audit ? 200 : 403; }},
      {"GET /api/v1/audit/verify", [](const Allowed& a, auto&) { return a.audit ? 200 : 403; }},
      // Workflows: any member of staff reaches them; who may act on a
      // document is decided per document (tests/server/workflow_test.cc).
      // Chiltern's policy has no official-post procedure: 422 with a reason.
      {"POST /api/v1/posts", [](auto&, auto&) { return 422; }},
      {"GET /api/v1/posts", [](auto&, auto&) { return 200; }},
      {"GET /api/v1/posts/{id}", [](auto&, auto&) { return 404; }},
      {"GET /api/v1/posts/{id}/images/{sha256}", [](auto&, auto&) { return 404; }},
      {"PUT /api/v1/posts/{id}", [](auto&, auto&) { return 404; }},
      {"POST /api/v1/posts/{id}/{action}", [](auto&, auto&) { return 404; }},
      {"POST /api/v1/advice", [](auto&, auto&) { return 201; }},
      {"GET /api/v1/advice", [](auto&, auto&) { return 200; }},
      {"GET /api/v1/advice/{id}", [](auto&, auto&) { return 404; }},
      {"POST /api/v1/advice/{id}/{action}", [](auto&, auto&) { return 404; }},
      {"POST /api/v1/contacts", [](auto&, auto&) { return 201; }},
      {"GET /api/v1/contacts", [](auto&, auto&) { return 200; }},
      {"GET /api/v1/cases/meta", [](auto&, auto&) { return 200; }},
      {"POST /api/v1/cases", [](auto&, auto&) { return 201; }},
      {"GET /api/v1/cases", [](auto&, auto&) { return 200; }},
      {"GET /api/v1/cases/{id}", [](auto&, auto&) { return 404; }},
      {"GET /api/v1/cases/{id}/evidence/{evidence}", [](auto&, auto&) { return 404; }},
      {"POST /api/v1/cases/{id}/{action}", [](auto&, auto&) { return 404; }},
      {"GET /api/v1/policy", [](auto&, auto&) { return 200; }},
      {"POST /api/v1/policy/versions",
       [](const Allowed& a, auto&) { return a.policy ? 201 : 403; }},
      {"POST /api/v1/policy/reviews", [](const Allowed& a, auto&) { return a.policy ? 201 : 403; }},
      {"POST /api/v1/policy/versions/{id}/acknowledge", [](auto&, auto&) { return 200; }},
      {"GET /api/v1/policy/versions/{id}/acknowledgements",
       [](const Allowed& a, auto&) { return a.sr ? 200 : 403; }},
      {"GET /api/v1/reports/governors",
       [](const Allowed& a, auto&) { return a.reports ? 200 : 403; }},
      {"POST /api/v1/workflow/sweep", [](const Allowed& a, auto&) { return a.users ? 200 : 403; }},
      {"GET /api/v1/outbox", [](const Allowed& a, auto&) { return a.audit ? 200 : 403; }},
  };
  return e;
}

// The routes anyone may call without a credential.
const std::set<std::string> kPublicRoutes = {"GET /healthz", "GET /api/v1/openapi.json",
                                             "POST /api/v1/login"};

std::string Key(const server::Route& r) { return r.method + " " + r.path; }

bool IsRegisterRoute(const server::Route& r) { return r.path.find("{kind}") != std::string::npos; }

// One server over a memory store for the whole binary.
TestServer& Server() {
  static TestServer* s = new TestServer(":memory:");
  return *s;
}

std::string RowJson(const std::map<std::string, std::string>& row) {
  Json j = Json::object();
  for (const auto& [k, v] : row) j[k] = v;
  return j.dump();
}

// Puts a record straight into the store (no HTTP); version 1.
void StoreRecord(const std::string& trust, const std::string& kind, const std::string& id,
                 const std::string& school, const std::map<std::string, std::string>& row) {
  store::Change c;
  c.kind = kind;
  c.id = id;
  c.school = school;
  c.data = RowJson(row);
  c.expected_version = store::Change::kMustNotExist;
  auto r = Server().store().Apply(trust, {"test", "system"}, {c});
  ASSERT_TRUE(r.ok()) << r.status().message();
}

struct Request {
  Request(std::string m, std::string p, std::string b = "", std::string type = "application/json")
      : method(std::move(m)),
        path(std::move(p)),
        body(std::move(b)),
        content_type(std::move(type)) {}
  std::string method, path, body, content_type;
};

// A valid request for one route, by one subject (n: a number unique to the
// subject, for ids), on `kind` for register routes. May prepare the store.
class Caller {
 public:
  Caller(const Subject& s, int n) : subject_(s), n_(n) {
    TestServer& srv = Server();
    username_ = "matrix." + s.name();
    user_id_ = srv.AddUser("chiltern", username_, {{s.role, s.trust_wide ? "" : kSchool}});
    token_ = srv.TokenFor(user_id_);
  }
  const std::string& token() const { return token_; }
  const std::string& username() const { return username_; }
  int64_t user_id() const { return user_id_; }

  // The request; `auth` is set to the token to use.
  Request Build(const std::string& key, const std::string& kind, std::string& auth) {
    TestServer& srv = Server();
    auth = token_;
    const std::string n = std::to_string(n_);
    if (key == "GET /healthz") return {"GET", "/healthz"};
    if (key == "GET /api/v1/openapi.json") return {"GET", "/api/v1/openapi.json"};
    if (key == "POST /api/v1/login") {
      auth.clear();
      return {"POST", "/api/v1/login",
              Json{{"username", username_}, {"password", kPassword}, {"trust", "chiltern"}}.dump()};
    }
    if (key == "POST /api/v1/logout") {
      auth = srv.TokenFor(user_id_, "to-log-out");
      return {"POST", "/api/v1/logout", "{}"};
    }
    if (key == "GET /api/v1/me") return {"GET", "/api/v1/me"};
    if (key == "POST /api/v1/me/password") {
      return {"POST", "/api/v1/me/password",
              Json{{"current_password", kPassword}, {"new_password", kPassword}}.dump()};
    }
    if (key == "GET /api/v1/trust") return {"GET", "/api/v1/trust"};
    if (key == "GET /api/v1/clauses") return {"GET", "/api/v1/clauses"};
    if (key == "GET /api/v1/tokens") return {"GET", "/api/v1/tokens"};
    if (key == "POST /api/v1/tokens") {
      return {"POST", "/api/v1/tokens", Json{{"name", "matrix"}, {"days", 1}}.dump()};
    }
    if (key == "DELETE /api/v1/tokens/{id}") {
      const std::string victim = srv.TokenFor(user_id_, "to-revoke");
      return {"DELETE", "/api/v1/tokens/" + auth::TokenHash(victim).substr(0, 16)};
    }
    if (key == "POST /api/v1/check") {
      return {
          "POST", "/api/v1/check?trust=chiltern",
          Json{{"kind", "post"}, {"channel", "personal"}, {"text", "Lovely walk today"}}.dump()};
    }
    if (key == "POST /api/v1/images/strip") {
      // A 1x1 PNG: anyone signed in may strip their own picture.
      return {"POST", "/api/v1/images/strip",
              Base64Decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAF"
                           "AAH/iZk9HQAAAABJRU5ErkJggg==")
                  .value(),
              "image/png"};
    }
    if (key == "GET /api/v1/registers") return {"GET", "/api/v1/registers"};
    if (key == "GET /api/v1/registers/{kind}") return {"GET", "/api/v1/registers/" + kind};
    if (key == "GET /api/v1/registers/{kind}/{id}") {
      // Records of the subject's school (pupils, staff) or the whole trust (sites).
      const std::string id = kind == "pupils" ? "P0001" : kind == "staff" ? "S002" : "facebook.com";
      return {"GET", "/api/v1/registers/" + kind + "/" + id};
    }
    if (key == "PUT /api/v1/registers/{kind}/{id}") {
      if (kind == "sites") {
        const std::string id = "put" + n + ".example.org";
        return {
            "PUT", "/api/v1/registers/sites/" + id,
            Json{{"fields", {{"domain", id}, {"status", "approved"}, {"school", kSchool}}}}.dump()};
      }
      const std::string id = (kind == "pupils" ? "PPUT" : "SPUT") + n;
      return {"PUT", "/api/v1/registers/" + kind + "/" + id,
              Json{{"fields", {{"first_name", "Ada"}, {"last_name", "Put"}, {"school", kSchool}}}}
                  .dump()};
    }
    if (key == "DELETE /api/v1/registers/{kind}/{id}") {
      std::string id;
      if (kind == "sites") {
        id = "del" + n + ".example.org";
        StoreRecord("chiltern", kind, id, kSchool,
                    {{"domain", id}, {"status", "approved"}, {"school", kSchool}});
      } else {
        id = (kind == "pupils" ? "PDEL" : "SDEL") + n;
        StoreRecord("chiltern", kind, id, kSchool,
                    {{"id", id}, {"first_name", "Del"}, {"last_name", "Ete"}, {"school", kSchool}});
      }
      return {"DELETE", "/api/v1/registers/" + kind + "/" + id + "?version=1"};
    }
    if (key == "POST /api/v1/registers/{kind}/import") {
      std::string csv;
      if (kind == "sites") {
        csv = "domain,status,school\nimp" + n + ".example.org,approved," + kSchool + "\n";
      } else {
        csv = "id,first_name,last_name,school\n" + std::string(kind == "pupils" ? "PIMP" : "SIMP") +
              n + ",Imp,Ort," + kSchool + "\n";
      }
      return {"POST", "/api/v1/registers/" + kind + "/import", csv, "text/csv"};
    }
    if (key == "GET /api/v1/users") return {"GET", "/api/v1/users"};
    if (key == "POST /api/v1/users") {
      return {"POST", "/api/v1/users",
              Json{{"username", "new" + n},
                   {"password", kPassword},
                   {"roles", Json::array({{{"role", "teacher"}, {"school", kSchool}}})}}
                  .dump()};
    }
    if (key == "PATCH /api/v1/users/{id}") {
      const int64_t target = srv.AddUser("chiltern", "target" + n, {{"teacher", kSchool}});
      return {"PATCH", "/api/v1/users/" + std::to_string(target),
              Json{{"version", 1}, {"display_name", "Renamed"}}.dump()};
    }
    if (key == "GET /api/v1/audit") return {"GET", "/api/v1/audit?limit=5"};
    if (key == "GET /api/v1/audit/verify") return {"GET", "/api/v1/audit/verify"};
    if (key == "POST /api/v1/posts") {
      return {"POST", "/api/v1/posts", Json{{"account_id", "x"}, {"text", "Hello"}}.dump()};
    }
    if (key == "GET /api/v1/posts") return {"GET", "/api/v1/posts"};
    if (key == "GET /api/v1/posts/{id}") return {"GET", "/api/v1/posts/post-none"};
    if (key == "GET /api/v1/posts/{id}/images/{sha256}") {
      return {"GET", "/api/v1/posts/post-none/images/" + std::string(64, 'a')};
    }
    if (key == "PUT /api/v1/posts/{id}") {
      return {"PUT", "/api/v1/posts/post-none", Json{{"version", 1}, {"text", "x"}}.dump()};
    }
    if (key == "POST /api/v1/posts/{id}/{action}")
      return {"POST", "/api/v1/posts/post-none/submit"};
    if (key == "POST /api/v1/advice") {
      // Someone to ask: the school's Headteacher, and for trust-wide staff the
      // escalation matrix's next role (the Chair for the CEO).
      srv.AddUser("chiltern", "adviser" + n, {{"headteacher", kSchool}});
      srv.AddUser("chiltern", "adviser.t" + n, {{"headteacher", ""}});
      srv.AddUser("chiltern", "chair" + n, {{"chair", ""}});
      return {"POST", "/api/v1/advice", Json{{"question", "May I post this?"}}.dump()};
    }
    if (key == "GET /api/v1/advice") return {"GET", "/api/v1/advice"};
    if (key == "GET /api/v1/advice/{id}") return {"GET", "/api/v1/advice/advice-none"};
    if (key == "POST /api/v1/advice/{id}/{action}") {
      return {"POST", "/api/v1/advice/advice-none/withdraw"};
    }
    if (key == "POST /api/v1/contacts") {
      return {"POST", "/api/v1/contacts",
              Json{{"kind", "message"}, {"counterpart", {{"pupil_id", "P0001"}}}}.dump()};
    }
    if (key == "GET /api/v1/contacts") return {"GET", "/api/v1/contacts"};
    if (key == "GET /api/v1/cases/meta") return {"GET", "/api/v1/cases/meta"};
    if (key == "POST /api/v1/cases") {
      return {"POST", "/api/v1/cases",
              Json{{"category", "content_about_trust"}, {"summary", "A post about us"}}.dump()};
    }
    if (key == "GET /api/v1/cases") return {"GET", "/api/v1/cases"};
    if (key == "GET /api/v1/cases/{id}") return {"GET", "/api/v1/cases/case-none"};
    if (key == "GET /api/v1/cases/{id}/evidence/{evidence}") {
      return {"GET", "/api/v1/cases/case-none/evidence/ev1"};
    }
    if (key == "POST /api/v1/cases/{id}/{action}") {
      return {"POST", "/api/v1/cases/case-none/note", Json{{"text", "x"}}.dump()};
    }
    if (key == "GET /api/v1/policy") return {"GET", "/api/v1/policy"};
    if (key == "POST /api/v1/policy/versions") {
      return {"POST", "/api/v1/policy/versions",
              Json{{"version", "m" + n},
                   {"approving_body", "Board of Trustees"},
                   {"approved_on", "2026-01-01"},
                   {"effective_from", "2030-01-01"},
                   {"summary", "matrix"}}
                  .dump()};
    }
    if (key == "POST /api/v1/policy/reviews") {
      return {
          "POST", "/api/v1/policy/reviews",
          Json{{"reviewed_on", "2026-01-02"}, {"reviewed_by", "Trustees"}, {"outcome", "no_change"}}
              .dump()};
    }
    if (key == "POST /api/v1/policy/versions/{id}/acknowledge") {
      return {"POST", "/api/v1/policy/versions/2023-autumn/acknowledge"};
    }
    if (key == "GET /api/v1/policy/versions/{id}/acknowledgements") {
      return {"GET", "/api/v1/policy/versions/2023-autumn/acknowledgements"};
    }
    if (key == "GET /api/v1/reports/governors") return {"GET", "/api/v1/reports/governors"};
    if (key == "POST /api/v1/workflow/sweep") return {"POST", "/api/v1/workflow/sweep"};
    if (key == "GET /api/v1/outbox") return {"GET", "/api/v1/outbox"};
    ADD_FAILURE() << "the test has no request for " << key;
    return {"GET", "/nowhere"};
  }

 private:
  Subject subject_;
  int n_;
  std::string username_, token_;
  int64_t user_id_ = 0;
};

// A new route must be given an expectation here before the matrix passes.
TEST(AccessMatrixTest, EveryRouteHasAnExpectation) {
  std::set<std::string> keys;
  for (const server::Route& r : server::Routes()) {
    keys.insert(Key(r));
    EXPECT_TRUE(Expectations().count(Key(r)))
        << "route " << Key(r) << " has no expectation in access_test.cc";
  }
  for (const auto& [key, fn] : Expectations()) {
    EXPECT_TRUE(keys.count(key)) << key << " is expected but no longer a route";
  }
}

class AccessMatrixTest : public ::testing::TestWithParam<size_t> {};

TEST_P(AccessMatrixTest, EveryRouteGivesTheExpectedStatus) {
  const Subject subject = Subjects()[GetParam()];
  Caller caller(subject, static_cast<int>(GetParam()) + 100);
  TestServer& srv = Server();
  for (const server::Route& r : server::Routes()) {
    const std::string key = Key(r);
    auto exp = Expectations().find(key);
    if (exp == Expectations().end()) {
      ADD_FAILURE() << "no expectation for " << key;
      continue;
    }
    const std::vector<std::string> kinds =
        IsRegisterRoute(r) ? kKinds : std::vector<std::string>{""};
    for (const std::string& kind : kinds) {
      std::string token;
      const Request req = caller.Build(key, kind, token);
      const Reply reply = srv.Send(req.method, req.path, token, req.body, req.content_type);
      const int want = exp->second(subject.may, kind);
      EXPECT_EQ(reply.status, want) << subject.name() << ": " << req.method << " " << req.path
                                    << " -> " << reply.status << " " << reply.body.substr(0, 300);
      if (reply.status >= 400) {
        EXPECT_TRUE(IsErrorShape(reply)) << key;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Roles, AccessMatrixTest, ::testing::Range<size_t>(0, Subjects().size()),
                         [](const ::testing::TestParamInfo<size_t>& p) {
                           return Subjects()[p.param].name();
                         });

TEST(AccessTest, NoCredentialGets401OnEveryNonPublicRoute) {
  TestServer& srv = Server();
  // A bogus token is no better than none.
  for (const std::string& bad : {std::string(), std::string("gha_not-a-real-token")}) {
    for (const server::Route& r : server::Routes()) {
      std::string path = r.path;
      for (auto [from, to] :
           {std::pair<std::string, std::string>{"{kind}", "pupils"}, {"{id}", "P0001"}}) {
        const size_t at = path.find(from);
        if (at != std::string::npos) path.replace(at, from.size(), to);
      }
      if (r.path == "/api/v1/check") path += "?trust=chiltern";
      std::string body, type = "application/json";
      if (r.method != "GET" && r.method != "DELETE") body = "{}";
      if (r.body == server::Body::kCsv) {
        body = "id,first_name,last_name,school\nPZ1,A,B,beech-hill\n";
        type = "text/csv";
      } else if (r.body == server::Body::kImage) {
        body = "GIF89a";
        type = "image/gif";
      }
      if (Key(r) == "POST /api/v1/login") continue;  // tested below
      const Reply reply = srv.Send(r.method, path, bad, body, type);
      const int want = kPublicRoutes.count(Key(r)) ? 200 : 401;
      EXPECT_EQ(reply.status, want) << Key(r) << " -> " << reply.body;
      if (want == 401) {
        EXPECT_TRUE(IsErrorShape(reply));
      }
    }
  }
  // Nothing was written by the attempts.
  auto rec = srv.store().Get("chiltern", "pupils", "PZ1");
  ASSERT_TRUE(rec.ok());
  EXPECT_FALSE(rec->has_value());
}

TEST(AccessTest, AnotherTrustIsInvisible) {
  TestServer& srv = Server();
  const int64_t id = srv.AddUser("llmat", "iso.llmat.ceo", {{"ceo", ""}});
  const std::string token = srv.TokenFor(id);
  // A pupil only chiltern has.
  StoreRecord(
      "chiltern", "pupils", "P9999", kSchool,
      {{"id", "P9999"}, {"first_name", "Only"}, {"last_name", "Chiltern"}, {"school", kSchool}});

  const Reply list = srv.Send("GET", "/api/v1/registers/pupils", token);
  ASSERT_EQ(list.status, 200) << list.body;
  auto llmat = srv.store().List("llmat", "pupils");
  ASSERT_TRUE(llmat.ok());
  const Json records = list.json()["records"];
  ASSERT_EQ(records.size(), llmat->size());
  for (size_t i = 0; i < records.size(); ++i) {
    const store::Record& want = (*llmat)[i];
    EXPECT_EQ(records[i]["id"], want.id);
    EXPECT_EQ(records[i]["fields"], Json::parse(want.data)) << want.id;
    EXPECT_NE(records[i]["id"], "P9999");
  }
  // P0001 exists in both trusts with different people: llmat's is given.
  const Reply p1 = srv.Send("GET", "/api/v1/registers/pupils/P0001", token);
  ASSERT_EQ(p1.status, 200);
  EXPECT_EQ(p1.json()["fields"]["first_name"], "Rhys");
  EXPECT_EQ(p1.json()["fields"]["school"], "larkfield");

  const Reply other = srv.Send("GET", "/api/v1/registers/pupils/P9999", token);
  EXPECT_EQ(other.status, 404) << other.body;
  EXPECT_TRUE(IsErrorShape(other));
  EXPECT_EQ(other.body.find("Chiltern"), std::string::npos);

  const Reply csv = srv.Send("GET", "/api/v1/registers/pupils?format=csv", token);
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.body.find("P9999"), std::string::npos);
  EXPECT_EQ(csv.body.find("Jacob,Metcalfe"), std::string::npos);  // chiltern's P0001
  EXPECT_EQ(csv.body.find("beech-hill"), std::string::npos);

  const Reply check =
      srv.Send("POST", "/api/v1/check?trust=chiltern", token, R"({"kind":"post","text":"hi"})");
  EXPECT_EQ(check.status, 404) << check.body;
  EXPECT_TRUE(IsErrorShape(check));
  const Reply own =
      srv.Send("POST", "/api/v1/check?trust=llmat", token, R"({"kind":"post","text":"hi"})");
  EXPECT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(own.json()["trust"], "llmat");

  // Deleting or overwriting chiltern's only-pupil from llmat cannot reach it.
  const int64_t head_id = srv.AddUser("llmat", "iso.llmat.head", {{"headteacher", ""}});
  const std::string head = srv.TokenFor(head_id);
  const Reply del = srv.Send("DELETE", "/api/v1/registers/pupils/P9999?version=1", head);
  EXPECT_EQ(del.status, 404);
  auto still = srv.store().Get("chiltern", "pupils", "P9999");
  ASSERT_TRUE(still.ok());
  EXPECT_TRUE(still->has_value());

  // llmat's user list holds no chiltern account.
  const Reply users = srv.Send("GET", "/api/v1/users", token);
  ASSERT_EQ(users.status, 200);
  const Json user_list = users.json()["users"];
  ASSERT_FALSE(user_list.empty());
  for (const Json& u : user_list) EXPECT_EQ(u["trust"], "llmat") << u.dump();

  // And the audit trail only llmat's entries.
  const Reply audit = srv.Send("GET", "/api/v1/audit?limit=1000", token);
  ASSERT_EQ(audit.status, 200);
  EXPECT_EQ(audit.body.find("P9999"), std::string::npos);
  EXPECT_EQ(audit.body.find("stockwood-vale"), std::string::npos);  // a chiltern school
}

class SchoolWallTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static int64_t head = Server().AddUser("chiltern", "wall.head", {{"headteacher", kSchool}});
    static std::string token = Server().TokenFor(head);
    token_ = token;
  }
  std::string token_;
};

TEST_F(SchoolWallTest, ListsExportsAndReadsOnlyTheirSchool) {
  TestServer& srv = Server();
  auto all = srv.store().List("chiltern", "pupils");
  ASSERT_TRUE(all.ok());
  size_t mine = 0;
  for (const auto& r : *all) mine += r.school == kSchool;
  ASSERT_GT(mine, 0u);
  ASSERT_LT(mine, all->size());

  const Reply list = srv.Send("GET", "/api/v1/registers/pupils", token_);
  ASSERT_EQ(list.status, 200);
  const Json records = list.json()["records"];
  EXPECT_EQ(records.size(), mine);
  for (const Json& r : records) EXPECT_EQ(r["school"], kSchool) << r.dump();

  // Asking for the other school by filter gives nothing.
  const Reply filtered =
      srv.Send("GET", std::string("/api/v1/registers/pupils?school=") + kOtherSchool, token_);
  ASSERT_EQ(filtered.status, 200);
  EXPECT_EQ(filtered.json()["records"].size(), 0u);

  const Reply csv = srv.Send("GET", "/api/v1/registers/pupils?format=csv", token_);
  ASSERT_EQ(csv.status, 200);
  std::istringstream lines(csv.body);
  std::string line;
  size_t rows = 0;
  std::getline(lines, line);  // header
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    ++rows;
    EXPECT_NE(line.find(kSchool), std::string::npos) << line;
    EXPECT_EQ(line.find(kOtherSchool), std::string::npos) << line;
  }
  EXPECT_EQ(rows, mine);

  // P0002 is at stockwood-vale: reported as missing.
  const Reply get = srv.Send("GET", "/api/v1/registers/pupils/P0002", token_);
  EXPECT_EQ(get.status, 404) << get.body;
  EXPECT_EQ(get.body.find("Isla"), std::string::npos);
  // Parents of another school's pupil, likewise.
  const Reply parent = srv.Send("GET", "/api/v1/registers/parents/PA002", token_);
  EXPECT_EQ(parent.status, 404) << parent.body;
}

TEST_F(SchoolWallTest, CannotWriteAnotherSchool) {
  TestServer& srv = Server();
  auto before = srv.store().Get("chiltern", "pupils", "P0002");
  ASSERT_TRUE(before.ok() && before->has_value());

  const Reply put = srv.Send(
      "PUT", "/api/v1/registers/pupils/P0002", token_,
      Json{{"version", (*before)->version},
           {"fields", {{"first_name", "Hacked"}, {"last_name", "X"}, {"school", kOtherSchool}}}}
          .dump());
  EXPECT_TRUE(put.status == 403 || put.status == 404) << put.status << " " << put.body;
  // Moving it into their own school is no way in either.
  const Reply move =
      srv.Send("PUT", "/api/v1/registers/pupils/P0002", token_,
               Json{{"version", (*before)->version},
                    {"fields", {{"first_name", "Hacked"}, {"last_name", "X"}, {"school", kSchool}}}}
                   .dump());
  EXPECT_TRUE(move.status == 403 || move.status == 404) << move.status << " " << move.body;
  // Nor moving one of theirs out.
  auto p1 = srv.store().Get("chiltern", "pupils", "P0001");
  ASSERT_TRUE(p1.ok() && p1->has_value());
  const Reply out = srv.Send(
      "PUT", "/api/v1/registers/pupils/P0001", token_,
      Json{{"version", (*p1)->version},
           {"fields",
            {{"first_name", "Jacob"}, {"last_name", "Metcalfe"}, {"school", kOtherSchool}}}}
          .dump());
  EXPECT_EQ(out.status, 403) << out.body;
  // A new pupil there.
  const Reply create = srv.Send(
      "PUT", "/api/v1/registers/pupils/PNEW1", token_,
      Json{{"fields", {{"first_name", "N"}, {"last_name", "E"}, {"school", kOtherSchool}}}}.dump());
  EXPECT_EQ(create.status, 403) << create.body;
  const Reply del = srv.Send(
      "DELETE", "/api/v1/registers/pupils/P0002?version=" + std::to_string((*before)->version),
      token_);
  EXPECT_TRUE(del.status == 403 || del.status == 404) << del.status << " " << del.body;
  const Reply imp = srv.Send("POST", "/api/v1/registers/pupils/import", token_,
                             std::string("id,first_name,last_name,school\nP0002,Hacked,X,") +
                                 kOtherSchool + "\nPNEW2,N,E," + kOtherSchool + "\n",
                             "text/csv");
  EXPECT_TRUE(imp.status == 403 || imp.status == 422) << imp.status << " " << imp.body;

  auto after = srv.store().Get("chiltern", "pupils", "P0002");
  ASSERT_TRUE(after.ok() && after->has_value());
  EXPECT_EQ((*after)->version, (*before)->version);
  EXPECT_EQ((*after)->data, (*before)->data);
  auto p1_after = srv.store().Get("chiltern", "pupils", "P0001");
  ASSERT_TRUE(p1_after.ok() && p1_after->has_value());
  EXPECT_EQ((*p1_after)->school, kSchool);
  for (const char* id : {"PNEW1", "PNEW2"}) {
    auto r = srv.store().Get("chiltern", "pupils", id);
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r->has_value()) << id;
  }
}

TEST_F(SchoolWallTest, CannotCreateTrustWideRecords) {
  TestServer& srv = Server();
  const Reply put =
      srv.Send("PUT", "/api/v1/registers/sites/trustwide.example.org", token_,
               R"({"fields":{"domain":"trustwide.example.org","status":"approved"}})");
  EXPECT_EQ(put.status, 403) << put.body;
  const Reply imp = srv.Send("POST", "/api/v1/registers/sites/import", token_,
                             "domain,status\ntrustwide2.example.org,approved\n", "text/csv");
  EXPECT_TRUE(imp.status == 403 || imp.status == 422) << imp.status << " " << imp.body;
  // Nor change or delete an existing trust-wide one (facebook.com).
  auto fb = srv.store().Get("chiltern", "sites", "facebook.com");
  ASSERT_TRUE(fb.ok() && fb->has_value());
  const Reply upd =
      srv.Send("PUT", "/api/v1/registers/sites/facebook.com", token_,
               Json{{"version", (*fb)->version},
                    {"fields", {{"domain", "facebook.com"}, {"status", "not_approved"}}}}
                   .dump());
  EXPECT_EQ(upd.status, 403) << upd.body;
  const Reply del = srv.Send(
      "DELETE", "/api/v1/registers/sites/facebook.com?version=" + std::to_string((*fb)->version),
      token_);
  EXPECT_EQ(del.status, 403) << del.body;
  for (const char* id : {"trustwide.example.org", "trustwide2.example.org"}) {
    auto r = srv.store().Get("chiltern", "sites", id);
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r->has_value()) << id;
  }
  auto fb_after = srv.store().Get("chiltern", "sites", "facebook.com");
  ASSERT_TRUE(fb_after.ok() && fb_after->has_value());
  EXPECT_EQ((*fb_after)->version, (*fb)->version);
}

TEST_F(SchoolWallTest, CannotGrantMoreThanTheyHold) {
  TestServer& srv = Server();
  auto create = [&](const std::string& name, const std::string& role, const Json& school) {
    return srv.Send("POST", "/api/v1/users", token_,
                    Json{{"username", name},
                         {"password", kPassword},
                         {"roles", Json::array({{{"role", role}, {"school", school}}})}}
                        .dump());
  };
  EXPECT_EQ(create("esc.ceo", "ceo", kSchool).status, 403);
  EXPECT_EQ(create("esc.ceo2", "ceo", Json()).status, 403);
  EXPECT_EQ(create("esc.teacher", "teacher", Json()).status, 403);  // trust-wide
  EXPECT_EQ(create("esc.head", "headteacher", kOtherSchool).status, 403);
  EXPECT_EQ(create("esc.it", "it_manager", Json()).status, 403);
  for (const char* name : {"esc.ceo", "esc.ceo2", "esc.teacher", "esc.head", "esc.it"}) {
    auto u = srv.store().FindUser("chiltern", name);
    ASSERT_TRUE(u.ok());
    EXPECT_FALSE(u->has_value()) << name;
  }
  // Nor by changing an account's roles.
  const int64_t target = srv.AddUser("chiltern", "esc.target", {{"teacher", kSchool}});
  const Reply patch = srv.Send(
      "PATCH", "/api/v1/users/" + std::to_string(target), token_,
      Json{{"version", 1}, {"roles", Json::array({{{"role", "ceo"}, {"school", nullptr}}})}}
          .dump());
  EXPECT_EQ(patch.status, 403) << patch.body;
  auto t = srv.store().GetUser(target);
  ASSERT_TRUE(t.ok() && t->has_value());
  ASSERT_EQ((*t)->roles.size(), 1u);
  EXPECT_EQ((*t)->roles[0].role, "teacher");
  // Accounts of another school are out of reach: not listed, not changeable.
  const int64_t other = srv.AddUser("chiltern", "esc.other", {{"teacher", kOtherSchool}});
  const Reply users = srv.Send("GET", "/api/v1/users", token_);
  ASSERT_EQ(users.status, 200);
  const Json user_list = users.json()["users"];
  for (const Json& u : user_list) {
    EXPECT_NE(u["username"], "esc.other");
    for (const Json& g : u["roles"]) EXPECT_EQ(g["school"], kSchool) << u.dump();
  }
  const Reply patch_other = srv.Send("PATCH", "/api/v1/users/" + std::to_string(other), token_,
                                     Json{{"version", 1}, {"disabled", true}}.dump());
  EXPECT_TRUE(patch_other.status == 403 || patch_other.status == 404) << patch_other.body;
  auto o = srv.store().GetUser(other);
  ASSERT_TRUE(o.ok() && o->has_value());
  EXPECT_FALSE((*o)->disabled);
  // An it_manager at the school cannot make a headteacher (pupil access).
  const int64_t it = srv.AddUser("chiltern", "esc.it_manager", {{"it_manager", kSchool}});
  const Reply it_create =
      srv.Send("POST", "/api/v1/users", srv.TokenFor(it),
               Json{{"username", "esc.byit"},
                    {"password", kPassword},
                    {"roles", Json::array({{{"role", "headteacher"}, {"school", kSchool}}})}}
                   .dump());
  EXPECT_EQ(it_create.status, 403) << it_create.body;
}

}  // namespace
}  // namespace gh::servertest
