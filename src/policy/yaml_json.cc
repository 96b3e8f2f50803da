#include "policy/yaml_json.h"

#include <yaml-cpp/yaml.h>

#include "policy/yaml_json_internal.h"

namespace gh::policy {

nlohmann::json YamlNodeToJson(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
    case YAML::NodeType::Sequence: {
      auto arr = nlohmann::json::array();
      for (const auto& item : n) arr.push_back(YamlNodeToJson(item));
      return arr;
    }
    case YAML::NodeType::Map: {
      auto obj = nlohmann::json::object();
      for (const auto& kv : n) obj[kv.first.Scalar()] = YamlNodeToJson(kv.second);
      return obj;
    }
    case YAML::NodeType::Scalar: {
      const std::string& s = n.Scalar();
      if (n.Tag() == "!") return s;  // quoted
      if (s == "true") return true;
      if (s == "false") return false;
      if (s == "null" || s == "~") return nullptr;
      const bool integer =
          !s.empty() && s.size() < 10 &&
          s.find_first_not_of("0123456789", s[0] == '-' ? 1 : 0) == std::string::npos && s != "-";
      if (integer) return std::stoll(s);
      return s;
    }
  }
  return nullptr;
}

Result<nlohmann::json> YamlToJson(std::string_view yaml, const std::string& display) {
  try {
    return YamlNodeToJson(YAML::Load(std::string(yaml)));
  } catch (const YAML::Exception& e) {
    const int line = e.mark.is_null() ? 0 : e.mark.line + 1;
    return Status::InvalidArgument(display + (line ? ":" + std::to_string(line) : "") +
                                   ": malformed YAML: " + e.msg);
  }
}

}  // namespace gh::policy
