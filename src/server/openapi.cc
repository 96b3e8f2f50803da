// The OpenAPI 3.0 document, generated from the route table so it cannot
// drift from what the server does.
#include "server/internal.h"

namespace gh::server {

namespace {

std::string AccessText(const Route& r) {
  switch (r.need) {
    case Need::kPublic:
      return "anyone";
    case Need::kUser:
      return "any signed-in user";
    case Need::kCap:
      return "users holding " + std::string(auth::CapName(r.cap));
    case Need::kRegisterRead:
      return "the register's read capability, within the caller's schools";
    case Need::kRegisterWrite:
      return "the register's write capability, within the caller's schools";
  }
  return "";
}

Json ErrorRef() { return {{"$ref", "#/components/responses/Error"}}; }

}  // namespace

std::string BuildOpenApi() {
  Json paths = Json::object();
  for (const Route& r : Routes()) {
    Json op = {{"summary", r.summary}, {"x-gatehouse-access", AccessText(r)}};
    std::string method = r.method;
    for (auto& ch : method) ch = static_cast<char>(ch - 'A' + 'a');
    op["operationId"] = method + r.path;
    Json params = Json::array();
    for (size_t i = r.path.find('{'); i != std::string::npos; i = r.path.find('{', i + 1)) {
      const std::string name = r.path.substr(i + 1, r.path.find('}', i) - i - 1);
      params.push_back(
          {{"name", name}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}});
    }
    if (r.path == "/api/v1/check") {
      params.push_back({{"name", "trust"},
                        {"in", "query"},
                        {"required", true},
                        {"schema", {{"type", "string"}}}});
      params.push_back({{"name", "now"},
                        {"in", "query"},
                        {"required", false},
                        {"description", "ISO 8601 time to judge ages at"},
                        {"schema", {{"type", "string"}}}});
    }
    if (!params.empty()) op["parameters"] = params;
    if (r.method == "POST" || r.method == "PUT" || r.method == "PATCH") {
      Json schema = r.path == "/api/v1/check" ? Json{{"$ref", "#/components/schemas/Event"}}
                                              : Json{{"type", "object"}};
      op["requestBody"] = {
          {"required", true},
          {"content",
           r.body == Body::kCsv ? Json{{"text/csv", {{"schema", {{"type", "string"}}}}}}
           : r.body == Body::kImage
               ? Json{{"image/*", {{"schema", {{"type", "string"}, {"format", "binary"}}}}}}
               : Json{{"application/json", {{"schema", schema}}}}}};
    }
    Json ok_schema = r.path == "/api/v1/check" ? Json{{"$ref", "#/components/schemas/Result"}}
                                               : Json{{"type", "object"}};
    op["responses"] = {
        {"200",
         {{"description", "OK"}, {"content", {{"application/json", {{"schema", ok_schema}}}}}}},
        {"400", ErrorRef()},
        {"default", ErrorRef()}};
    if (r.need == Need::kPublic) {
      op["security"] = Json::array();
    } else {
      op["responses"]["401"] = ErrorRef();
      op["responses"]["403"] = ErrorRef();
    }
    paths[r.path][method] = op;
  }
  Json doc = {
      {"openapi", "3.0.3"},
      {"info",
       {{"title", "Gatehouse API"},
        {"version", GATEHOUSE_VERSION},
        {"description",
         "Screening, registers, accounts and audit for a trust's social media policy. "
         "Errors always have the shape {\"error\": {\"code\", \"message\", \"field\"?}}."}}},
      {"servers", Json::array({{{"url", "/"}}})},
      {"security", Json::array({{{"session", Json::array()}}, {{"token", Json::array()}}})},
      {"paths", paths},
      {"components",
       {{"securitySchemes",
         {{"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "gh_session"}}},
          {"token", {{"type", "http"}, {"scheme", "bearer"}}}}},
        {"responses",
         {{"Error",
           {{"description", "An error"},
            {"content",
             {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}}}}},
        {"schemas",
         {{"Error",
           {{"type", "object"},
            {"required", {"error"}},
            {"properties",
             {{"error",
               {{"type", "object"},
                {"required", {"code", "message"}},
                {"properties",
                 {{"code", {{"type", "string"}}},
                  {"message", {{"type", "string"}}},
                  {"field", {{"type", "string"}}}}}}}}}}},
          {"Event",
           {{"type", "object"},
            {"required", {"kind"}},
            {"properties",
             {{"kind",
               {{"type", "string"},
                {"enum", {"post", "comment", "message", "connection", "profile"}}}},
              {"channel", {{"type", "string"}, {"enum", {"personal", "official"}}}},
              {"platform", {{"type", "string"}}},
              {"author", {{"type", "string"}}},
              {"at", {{"type", "string"}, {"format", "date-time"}}},
              {"text", {{"type", "string"}}},
              {"links", {{"type", "array"}, {"items", {{"type", "string"}}}}},
              {"media", {{"type", "array"}, {"items", {{"type", "object"}}}}},
              {"tags", {{"type", "array"}, {"items", {{"type", "string"}}}}},
              {"counterpart", {{"type", "object"}}},
              {"profile", {{"type", "object"}}}}}}},
          {"Result",
           {{"type", "object"},
            {"properties",
             {{"trust", {{"type", "string"}}},
              {"policy", {{"type", "object"}}},
              {"verdict", {{"type", "string"}, {"enum", {"allow", "review", "block"}}}},
              {"findings", {{"type", "array"}, {"items", {{"type", "object"}}}}}}}}}}}}}};
  return doc.dump(2);
}

}  // namespace gh::server
