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
      // Plain decimals ("0.85", "-1.5"): thresholds. Nothing looser (no
      // exponents, ".5", "1."), so version strings like "1.2.3" stay strings.
      const size_t dot = s.find('.');
      const size_t digits_from = !s.empty() && s[0] == '-' ? 1 : 0;
      const bool decimal = dot != std::string::npos && dot > digits_from && dot + 1 < s.size() &&
                           s.size() < 24 && s.find_first_not_of("0123456789", digits_from) == dot &&
                           s.find_first_not_of("0123456789", dot + 1) == std::string::npos;
      if (decimal) return std::stod(s);
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
