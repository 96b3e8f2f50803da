#include "workflow/posts.h"

#include <algorithm>
#include <set>

#include "base/base64.h"
#include "base/strings.h"
#include "store/audit.h"

namespace gh::workflow {
namespace {

constexpr size_t kMaxText = 5000;

std::vector<std::string> ApproverRoles(const policy::Pack& p) {
  return Route(p, "official_post_approver");
}
std::vector<std::string> PublisherRoles(const policy::Pack& p) { return Route(p, "publisher"); }

// A phone photo as taken (its metadata is read, then stripped before storing).
constexpr size_t kMaxImageBytes = 6u << 20;

bool IsHex64(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// The official account a post is for, from the register.
Result<Json> LoadAccount(const Env& env, std::string_view id) {
  GH_ASSIGN_OR_RETURN(std::optional<store::Record> r, env.store->Get(env.trust(), "accounts", id));
  if (!r) {
    return Status::InvalidArgument("account_id: '" + std::string(id) +
                                   "' is not in the official accounts register");
  }
  Json a = Json::parse(r->data, nullptr, false);
  if (a.is_discarded()) a = Json::object();
  a["school"] = r->school;
  return a;
}

std::string Col(const Json& j, const char* k) {
  auto it = j.find(k);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool IsApprover(const Env& env, const Person& who, const Doc& d) {
  return who.HasAnyRole(ApproverRoles(*env.pack), d.school);
}

bool IsPublisher(const Env& env, const Person& who, const Doc& d, const Json& account) {
  const std::vector<std::string> roles = PublisherRoles(*env.pack);
  const std::string designated = Col(account, "publisher");
  if (roles.empty()) {  // the account's own people publish (Lionheart 4.2-8)
    return !who.staff_id.empty() &&
           (who.staff_id == Col(account, "owner") || who.staff_id == Col(account, "moderator") ||
            who.staff_id == designated);
  }
  if (std::find(roles.begin(), roles.end(), "account_overseer") != roles.end() &&
      !designated.empty()) {
    return !who.staff_id.empty() && who.staff_id == designated;  // LT2-7.3-6a
  }
  return who.HasAnyRole(roles, d.school);
}

bool CanSee(const Env& env, const Person& who, const Doc& d, const Json& account) {
  return Col(d.data, "author") == who.username || IsApprover(env, who, d) ||
         IsPublisher(env, who, d, account);
}

// What approval and publishing are bound to: the exact content, the account
// and the schedule.
std::string ContentHash(const Json& post) {
  const Json bound = {{"account", post["account"]["id"]},
                      {"content", post["content"]},
                      {"scheduled_for", post.value("scheduled_for", "")}};
  return store::Sha256Hex(bound.dump());
}

// The media type of an image's bytes, from its first bytes; "" = not an
// image a browser shows (JPEG, PNG, GIF, WebP).
std::string ImageType(std::string_view b) {
  if (b.size() >= 3 && b.substr(0, 3) == "\xFF\xD8\xFF") return "image/jpeg";
  if (b.size() >= 8 && b.substr(0, 8) == "\x89PNG\r\n\x1A\n") return "image/png";
  if (b.size() >= 6 && (b.substr(0, 6) == "GIF87a" || b.substr(0, 6) == "GIF89a")) {
    return "image/gif";
  }
  if (b.size() >= 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WEBP") return "image/webp";
  return "";
}

// An image's bytes sent with a draft (content_base64), stored beside the post
// so that approvers and publishers see what will go out.
struct ImageBytes {
  std::string sha256, base64, type;
};

// `previous`: the post's content before this edit, whose images' analyses
// are kept for images sent again by hash only.
Result<Json> ParseContent(const Env& env, const Json& in, std::vector<ImageBytes>& uploads,
                          const Json& previous) {
  Json content = Json::object();
  GH_ASSIGN_OR_RETURN(std::string text, Text(in, "text", true, kMaxText));
  content["text"] = text;
  Json images = Json::array();
  if (auto it = in.find("images"); it != in.end() && !it->is_null()) {
    if (!it->is_array() || it->size() > 20) {
      return Status::InvalidArgument("images: must be an array of at most 20 images");
    }
    size_t i = 0;
    for (const Json& img : *it) {
      const std::string at = "images[" + std::to_string(i++) + "]";
      if (!img.is_object()) return Status::InvalidArgument(at + ": must be an object");
      GH_ASSIGN_OR_RETURN(std::string name, Text(img, "name", true, 200));
      GH_ASSIGN_OR_RETURN(std::string b64, Text(img, "content_base64", false, kMaxImageBytes * 2));
      GH_ASSIGN_OR_RETURN(std::string sha, Text(img, "sha256", b64.empty(), 64));
      sha = ToLowerAscii(sha);
      Json analysis;             // the image report, when analysed
      std::string original_sha;  // the upload's hash, before its metadata went
      Json removed = Json::array();
      if (!b64.empty()) {
        GH_ASSIGN_OR_RETURN(std::string bytes, DecodeBase64(b64, at + ".content_base64"));
        if (bytes.size() > kMaxImageBytes) {
          return Status::InvalidArgument(at + ".content_base64: more than 6 MiB (send a " +
                                         "smaller copy)");
        }
        const std::string type = ImageType(bytes);
        if (type.empty()) {
          return Status::InvalidArgument(at +
                                         ".content_base64: not a JPEG, PNG, GIF or WebP image");
        }
        const std::string actual = store::Sha256Hex(bytes);
        if (!sha.empty() && sha != actual) {
          return Status::InvalidArgument(at + ".sha256: does not match content_base64");
        }
        // What the image shows, read from the upload itself (its metadata
        // included); then the only copy kept, approved and published is
        // the one without metadata.
        if (env.analyze_image) {
          Result<vision::ImageReport> report = env.analyze_image(bytes);
          if (!report.ok()) {
            if (report.status().code() != Status::Code::kInvalidArgument) return report.status();
            return Status::InvalidArgument(at + ".content_base64: the image " +
                                           report.status().message());
          }
          report->millis = 0;  // part of the content hash: keep it deterministic
          analysis = vision::ToJson(*report);
        }
        Result<std::string> clean = vision::StripMetadata(bytes);
        if (!clean.ok()) {
          return Status::InvalidArgument(at + ".content_base64: the image " +
                                         clean.status().message());
        }
        sha = store::Sha256Hex(*clean);
        original_sha = actual;
        removed = analysis.is_object() ? analysis["metadata"].value("keys", Json::array())
                                       : Json::array();
        uploads.push_back({sha, Base64Encode(*clean), ImageType(*clean)});
      } else {
        // Sent again by hash: the analysis made when it was uploaded.
        for (const Json& old : previous.value("images", Json::array())) {
          if (old.value("sha256", "") != sha) continue;
          analysis = old.value("analysis", Json());
          original_sha = old.value("original_sha256", "");
          removed = old.value("metadata_removed", Json::array());
        }
      }
      if (!IsHex64(sha)) {
        return Status::InvalidArgument(at + ".sha256: must be 64 hexadecimal digits");
      }
      GH_ASSIGN_OR_RETURN(std::string alt, Text(img, "alt", false, 1000));
      GH_ASSIGN_OR_RETURN(std::string device, Text(img, "device_id", false, 100));
      Json entry = {{"name", name}, {"sha256", sha}, {"alt", alt}, {"device_id", device}};
      if (auto a = img.find("adults"); a != img.end() && !a->is_null()) {
        if (!a->is_number_integer() || a->get<int64_t>() < 0 || a->get<int64_t>() > 1000) {
          return Status::InvalidArgument(at + ".adults: must be a whole number from 0 to 1000");
        }
        entry["adults"] = a->get<int>();
      }
      if (!analysis.is_null()) entry["analysis"] = analysis;
      if (!original_sha.empty()) entry["original_sha256"] = original_sha;
      entry["metadata_removed"] = removed;
      images.push_back(std::move(entry));
    }
  }
  content["images"] = images;
  GH_ASSIGN_OR_RETURN(std::vector<std::string> pupils, TextList(in, "pupils", 100));
  std::sort(pupils.begin(), pupils.end());
  pupils.erase(std::unique(pupils.begin(), pupils.end()), pupils.end());
  content["pupils"] = pupils;
  return content;
}

engine::Event EventOf(const Env& env, const Json& post, const std::string& staff_id) {
  engine::Event e;
  e.kind = engine::Kind::kPost;
  e.channel = engine::Channel::kOfficial;
  e.channel_given = true;
  e.platform = ToLowerAscii(post["account"].value("platform", ""));
  e.author = staff_id;
  e.at = Instant{env.now, 0};
  e.text = post["content"].value("text", "");
  for (const Json& img : post["content"]["images"]) {
    engine::Media m;
    m.path = img.value("name", "");
    m.alt = img.value("alt", "");
    m.sha256 = img.value("sha256", "");
    if (img.contains("adults")) m.adults = img["adults"].get<int>();
    if (auto a = img.find("analysis"); a != img.end() && a->is_object()) {
      if (auto r = vision::ReportFromJson(*a); r.ok()) {
        // The published copy carries no position: Gatehouse stores and
        // publishes only the stripped image. The camera stays known for
        // the approved-device check.
        r->metadata.gps.reset();
        m.image = std::make_shared<const vision::ImageReport>(std::move(*r));
      }
    }
    e.media.push_back(std::move(m));
  }
  // The pupils shown or named are for the consent check, not platform tags:
  // tagging a child would itself identify them.
  return e;
}

// A pupil's consent for a purpose on this post's account: a consent given or
// withdrawn for the account or its platform overrides the whole-channel one.
std::optional<bool> ConsentOn(const Env& env, const Json& post, const engine::Pupil& p,
                              std::string_view purpose) {
  if (env.channel_consent) {
    for (const char* key : {"id", "platform"}) {
      const std::string channel = post["account"].value(key, "");
      if (channel.empty()) continue;
      if (auto c = env.channel_consent(p.id, purpose, channel)) return c;
    }
  }
  return purpose == "photo" ? p.photo_consent : p.social_media_consent;
}

Json Item(std::string_view id, std::string_view title, std::string_view status,
          const std::vector<std::string>& details, std::vector<std::string> clauses) {
  return {
      {"id", id}, {"title", title}, {"status", status}, {"details", details}, {"clauses", clauses}};
}

// The checklist the policy asks for. "ok", "problem" (must be fixed before
// approval), "confirm" (the author has not confirmed it yet).
Result<Json> Checklist(const Env& env, Json& post) {
  const policy::Pack& pack = *env.pack;
  const std::string prefix = pack.clause_prefix;
  const bool has_images = !post["content"]["images"].empty();
  Json items = Json::array();

  // Screening of the exact content, as an official post.
  std::string staff_id = post.value("author_staff_id", "");
  const engine::ScreenResult screened = env.screen(EventOf(env, post, staff_id));
  const Json screening = ScreeningJson(screened);
  post["screening"] = {{"verdict", screening["verdict"]}, {"findings", screening["findings"]}};
  static const std::set<std::string> kIdentifying = {"pupil-identified", "personal-data",
                                                     "pupil-image"};
  static const std::set<std::string> kConsent = {"pupil-consent", "image-faces"};

  // 1. Consent for every pupil shown or named.
  {
    std::vector<std::string> problems, details;
    const bool banned = pack.settings.pupil_image_rule == policy::PupilImageRule::kBanned;
    for (const Json& pj : post["content"]["pupils"]) {
      const std::string pid = pj.get<std::string>();
      const engine::Pupil* p = env.registers ? env.registers->FindPupil(pid) : nullptr;
      if (!p) {
        problems.push_back(pid + " is not on the pupil register");
        continue;
      }
      const std::string name = p->first_name + " " + p->last_name;
      if (banned) {
        problems.push_back(name + ": this trust's policy allows no images of pupils");
        continue;
      }
      auto judge = [&](const std::optional<bool>& c, const char* what) {
        if (!c) {
          problems.push_back(name + ": no " + std::string(what) + " consent recorded");
        } else if (!*c) {
          problems.push_back(name + ": " + std::string(what) + " consent not granted or withdrawn");
        } else {
          details.push_back(name + ": " + std::string(what) + " consent granted");
        }
      };
      if (has_images) judge(ConsentOn(env, post, *p, "photo"), "photo");
      judge(ConsentOn(env, post, *p, "social_media"), "social media");
    }
    if (has_images && post["content"]["pupils"].empty()) {
      details.push_back("no pupils are tagged in the images; tag every pupil shown");
    }
    for (const engine::Finding& f : screened.findings) {
      if (kConsent.count(f.rule)) problems.push_back(f.message);
    }
    std::vector<std::string> all = problems;
    all.insert(all.end(), details.begin(), details.end());
    items.push_back(Item("consent",
                         "Consent granted and not withdrawn for each pupil shown or named",
                         problems.empty() ? "ok" : "problem", all,
                         {prefix == "MERCIA" ? "MERCIA-PROT-1"
                          : prefix == "LT2"  ? "LT2-7.3-1"
                                             : prefix + "-4.2-10"}));
  }
  // 2. No identifying information about a child.
  {
    std::vector<std::string> problems;
    for (const engine::Finding& f : screened.findings) {
      if (kIdentifying.count(f.rule)) problems.push_back(f.message);
    }
    const bool found = !problems.empty();
    const bool confirmed = post["confirms"].value("no_identifying_information", false);
    if (!found) {
      problems.push_back(confirmed ? "the author confirms no names on certificates or work"
                                   : "the author must confirm that no certificate, piece of "
                                     "work or badge in the images shows a child's name");
    }
    items.push_back(Item("identifying", "No identifying information relating to a child",
                         found ? "problem" : (confirmed ? "ok" : "confirm"), problems, {}));
  }
  // 3. Positive and relevant: the author confirms; screening flags what contradicts it.
  {
    std::vector<std::string> problems;
    for (const engine::Finding& f : screened.findings) {
      if (kIdentifying.count(f.rule) || kConsent.count(f.rule)) continue;
      problems.push_back(f.rule + ": " + f.message);
    }
    const bool confirmed = post["confirms"].value("positive_and_relevant", false);
    bool blocking = false;
    for (const engine::Finding& f : screened.findings) {
      if (!kIdentifying.count(f.rule) && !kConsent.count(f.rule)) {
        blocking |= f.verdict == engine::Verdict::kBlock;
      }
    }
    std::vector<std::string> all = problems;
    if (all.empty()) all.push_back("screening found nothing against the policy");
    items.push_back(Item("positive", "Positive and relevant, and nothing the policy forbids",
                         blocking ? "problem" : (!confirmed ? "confirm" : "ok"), all, {}));
  }
  // 4. Photos from an approved device (packs with a device-approval route):
  // the device the author names, else the one the photo's metadata names
  // (its serial number); when both are known they must agree.
  if (has_images && pack.routes.count("device_approval")) {
    std::vector<std::string> problems, details;
    GH_ASSIGN_OR_RETURN(std::vector<store::Record> devices,
                        env.store->List(env.trust(), "devices"));
    for (const Json& img : post["content"]["images"]) {
      const std::string name = img.value("name", "");
      std::string dev = img.value("device_id", "");
      const Json md = img.value("analysis", Json::object()).value("metadata", Json::object());
      const std::string serial = md.value("serial", "");
      std::string camera = md.value("make", "");
      if (!md.value("model", "").empty())
        camera += (camera.empty() ? "" : " ") + md.value("model", "");
      const store::Record* by_serial = nullptr;
      for (const store::Record& r : devices) {
        const Json d = Json::parse(r.data, nullptr, false);
        if (!serial.empty() && d.is_object() && !d.value("serial", "").empty() &&
            engine::SerialKey(d.value("serial", "")) == engine::SerialKey(serial)) {
          by_serial = &r;
        }
      }
      if (dev.empty() && by_serial) {
        dev = by_serial->id;
        details.push_back(name + ": the photo's metadata names device " + dev + " (serial " +
                          serial + ")");
      }
      if (dev.empty()) {
        problems.push_back(name + ": which approved device took it is not recorded" +
                           (camera.empty() ? std::string()
                                           : " (its metadata names " + camera +
                                                 (serial.empty() ? "" : ", serial " + serial) +
                                                 ", which is not registered)"));
        continue;
      }
      GH_ASSIGN_OR_RETURN(std::optional<store::Record> r,
                          env.store->Get(env.trust(), "devices", dev));
      Json d = r ? Json::parse(r->data, nullptr, false) : Json();
      if (!r || d.is_discarded()) {
        problems.push_back(name + ": device '" + dev + "' is not in the approved devices register");
      } else if (d.value("status", "approved") != "approved") {
        problems.push_back(name + ": device '" + dev + "' is no longer approved");
      } else if (!r->school.empty() && r->school != post.value("school", "")) {
        problems.push_back(name + ": device '" + dev + "' is approved for another school");
      } else if (!serial.empty() && !d.value("serial", "").empty() &&
                 engine::SerialKey(d.value("serial", "")) != engine::SerialKey(serial)) {
        problems.push_back(name + ": its metadata says it was taken on serial " + serial +
                           ", not on device '" + dev + "' (serial " + d.value("serial", "") + ")");
      } else {
        details.push_back(name + ": taken on approved device " + dev);
      }
    }
    std::vector<std::string> all = problems;
    all.insert(all.end(), details.begin(), details.end());
    items.push_back(Item("device", "Photos taken on an approved device",
                         problems.empty() ? "ok" : "problem", all,
                         {prefix == "MERCIA" ? "MERCIA-PHOTO-1" : "LT2-7.2-1"}));
  }
  // 5. What the published copy no longer carries: Gatehouse stores only the
  // stripped image, so this is a record for the approver, never a problem.
  if (has_images) {
    std::vector<std::string> details;
    for (const Json& img : post["content"]["images"]) {
      const Json removed = img.value("metadata_removed", Json::array());
      const Json md = img.value("analysis", Json::object()).value("metadata", Json::object());
      std::string what;
      if (md.contains("gps")) what += "GPS position, ";
      if (md.contains("serial")) what += "camera serial, ";
      if (md.contains("captured_at")) what += "capture time, ";
      details.push_back(img.value("name", "") + ": " +
                        (removed.empty()
                             ? std::string("carried no metadata")
                             : std::to_string(removed.size()) + " metadata fields removed" +
                                   (what.empty() ? std::string()
                                                 : " (" + what.substr(0, what.size() - 2) + ")")));
    }
    items.push_back(Item("metadata", "Location and camera details removed from the published copy",
                         "ok", details, {}));
  }
  post["checklist"] = items;
  post["ready"] =
      std::all_of(items.begin(), items.end(), [](const Json& i) { return i["status"] == "ok"; });
  return post;
}

void AddImageChanges(const Doc& post, const std::vector<ImageBytes>& uploads,
                     std::vector<store::Change>& changes) {
  for (const ImageBytes& u : uploads) {
    Doc img;
    img.id = post.id + "." + u.sha256;
    img.school = post.school;
    img.data = {
        {"post_id", post.id}, {"sha256", u.sha256}, {"type", u.type}, {"content_base64", u.base64}};
    changes.push_back(Put(kPostImageKind, img));
  }
}

Result<Doc> Find(const Env& env, const Person& who, std::string_view id, Json& account) {
  GH_ASSIGN_OR_RETURN(std::optional<Doc> d, Load(env, kPostKind, id));
  if (!d) return Status::NotFound("no post '" + std::string(id) + "'");
  auto acc = LoadAccount(env, d->data["account"].value("id", ""));
  account = acc.ok() ? *acc : Json::object();
  if (!CanSee(env, who, *d, account)) return Status::NotFound("no post '" + std::string(id) + "'");
  return *d;
}

Json View(const Env& env, const Person& who, const Doc& d, const Json& account) {
  Json v = d.data;
  v["version"] = d.version;
  v["can"] = Json::array();
  const std::string status = v.value("status", "");
  const bool author = v.value("author", "") == who.username;
  if (author && (status == "draft" || status == "changes_requested")) v["can"].push_back("submit");
  if (author && status != "published" && status != "withdrawn" && status != "removed" &&
      status != "rejected" && status != "removal_required") {
    v["can"].push_back("edit");
    v["can"].push_back("withdraw");
  }
  if (!author && IsApprover(env, who, d) && status == "submitted") {
    for (const char* a : {"approve", "request_changes", "reject"}) v["can"].push_back(a);
  }
  if (IsPublisher(env, who, d, account) && status == "approved") v["can"].push_back("publish");
  if ((IsPublisher(env, who, d, account) || IsApprover(env, who, d)) &&
      status == "removal_required") {
    v["can"].push_back("confirm_removed");
  }
  return v;
}

Status NeedVersion(const Json& in, const Doc& d) {
  auto it = in.find("version");
  if (it == in.end() || it->is_null()) return Status::Ok();  // optional on actions
  if (!it->is_number_integer()) return Status::InvalidArgument("version: must be an integer");
  if (it->get<int64_t>() != d.version) {
    return Status::Conflict("version: the post is at version " + std::to_string(d.version) +
                            ", not " + std::to_string(it->get<int64_t>()) + "; reload it");
  }
  return Status::Ok();
}

Result<std::string> ParseSchedule(const Env& env, const Json& in) {
  GH_ASSIGN_OR_RETURN(std::string s, Text(in, "scheduled_for", false, 40));
  if (s.empty()) return s;
  GH_ASSIGN_OR_RETURN(int64_t t, ParseTime(s, "scheduled_for"));
  if (t <= env.now) return Status::InvalidArgument("scheduled_for: is in the past");
  return Iso(t);
}

Result<Json> ParseConfirms(const Json& in) {
  Json c = Json::object();
  const Json src =
      in.contains("confirms") && in["confirms"].is_object() ? in["confirms"] : Json::object();
  GH_ASSIGN_OR_RETURN(bool pos, Flag(src, "positive_and_relevant", false));
  GH_ASSIGN_OR_RETURN(bool noid, Flag(src, "no_identifying_information", false));
  c["positive_and_relevant"] = pos;
  c["no_identifying_information"] = noid;
  return c;
}

// Default validity of an approval with no schedule: 7 days.
constexpr int64_t kApprovalValidSeconds = 7 * 24 * 3600;

}  // namespace

Status PostProtocolAvailable(const policy::Pack& pack) {
  if (!ApproverRoles(pack).empty()) return Status::Ok();
  // Lionheart: school-sanctioned accounts, moderated by their creator.
  if (pack.settings.pupil_image_rule == policy::PupilImageRule::kWrittenConsent) {
    return Status::Ok();
  }
  return Status::FailedPrecondition(pack.name +
                                    "'s policy sets no procedure for official posts (no approver "
                                    "and no sanctioned-account rules)");
}

Result<Json> CreatePost(const Env& env, const Person& who, const Json& in) {
  GH_RETURN_IF_ERROR(PostProtocolAvailable(*env.pack));
  GH_ASSIGN_OR_RETURN(std::string account_id, Text(in, "account_id", true, 100));
  GH_ASSIGN_OR_RETURN(Json account, LoadAccount(env, account_id));
  const std::string school = Col(account, "school");
  if (!school.empty()) {
    const auto schools = who.Schools();
    if (std::find(schools.begin(), schools.end(), school) == schools.end() &&
        std::find(schools.begin(), schools.end(), "") == schools.end()) {
      return Status::PermissionDenied("account_id: '" + account_id + "' belongs to " + school +
                                      ", not a school you work at");
    }
  }
  if (Col(account, "status") == "closed" || Col(account, "status") == "suspended") {
    return Status::FailedPrecondition("account_id: '" + account_id + "' is " +
                                      Col(account, "status"));
  }
  Doc d;
  d.id = NewId("post");
  d.school = school;
  d.version = 0;
  Json& p = d.data;
  p["id"] = d.id;
  p["school"] = school;
  p["account"] = {
      {"id", account_id}, {"platform", Col(account, "platform")}, {"url", Col(account, "url")}};
  p["author"] = who.username;
  p["author_name"] = who.display_name;
  p["author_staff_id"] = who.staff_id;
  std::vector<ImageBytes> uploads;
  GH_ASSIGN_OR_RETURN(p["content"], ParseContent(env, in, uploads, Json::object()));
  GH_ASSIGN_OR_RETURN(std::string sched, ParseSchedule(env, in));
  p["scheduled_for"] = sched;
  GH_ASSIGN_OR_RETURN(p["confirms"], ParseConfirms(in));
  p["status"] = "draft";
  p["approval"] = nullptr;
  p["published"] = nullptr;
  p["removal"] = nullptr;
  p["created_at"] = Iso(env.now);
  p["content_hash"] = ContentHash(p);
  p["history"] = Json::array();
  AddHistory(env, p, who.username, "create");
  GH_RETURN_IF_ERROR(Checklist(env, p).status());
  std::vector<store::Change> changes = {Put(kPostKind, d)};
  AddImageChanges(d, uploads, changes);
  GH_RETURN_IF_ERROR(Commit(env, who.username, std::move(changes)));
  d.version = 1;
  return View(env, who, d, account);
}

Result<Json> UpdatePost(const Env& env, const Person& who, std::string_view id, const Json& in) {
  Json account;
  GH_ASSIGN_OR_RETURN(Doc d, Find(env, who, id, account));
  Json& p = d.data;
  if (p.value("author", "") != who.username) {
    return Status::PermissionDenied("only the author can edit a post");
  }
  if (!in.contains("version")) return Status::InvalidArgument("version: is required");
  GH_RETURN_IF_ERROR(NeedVersion(in, d));
  const std::string status = p.value("status", "");
  if (status == "published" || status == "withdrawn" || status == "removed" ||
      status == "rejected" || status == "removal_required") {
    return Status::FailedPrecondition("a " + status + " post cannot be edited");
  }
  std::vector<ImageBytes> uploads;
  const Json previous = p["content"];
  GH_ASSIGN_OR_RETURN(p["content"], ParseContent(env, in, uploads, previous));
  GH_ASSIGN_OR_RETURN(std::string sched, ParseSchedule(env, in));
  p["scheduled_for"] = sched;
  GH_ASSIGN_OR_RETURN(p["confirms"], ParseConfirms(in));
  const std::string hash = ContentHash(p);
  if (hash != p.value("content_hash", "")) {
    p["content_hash"] = hash;
    if (!p["approval"].is_null() || status == "approved" || status == "submitted" ||
        status == "expired") {
      p["approval"] = nullptr;
      p["status"] = "draft";
      AddHistory(env, p, who.username, "edit", "content changed; any approval is void");
    } else {
      AddHistory(env, p, who.username, "edit");
    }
  }
  GH_RETURN_IF_ERROR(Checklist(env, p).status());
  std::vector<store::Change> changes = {Put(kPostKind, d)};
  AddImageChanges(d, uploads, changes);
  GH_RETURN_IF_ERROR(Commit(env, who.username, std::move(changes)));
  ++d.version;
  return View(env, who, d, account);
}

Result<std::string> PostImage(const Env& env, const Person& who, std::string_view id,
                              std::string_view sha256, std::string& type) {
  Json account;
  GH_ASSIGN_OR_RETURN(Doc d, Find(env, who, id, account));
  bool listed = false;
  for (const Json& img : d.data["content"]["images"]) listed |= img.value("sha256", "") == sha256;
  if (!listed) return Status::NotFound("post " + d.id + " has no image " + std::string(sha256));
  GH_ASSIGN_OR_RETURN(std::optional<Doc> stored,
                      Load(env, kPostImageKind, d.id + "." + std::string(sha256)));
  if (!stored) {
    return Status::NotFound("image " + std::string(sha256) + " was sent without its bytes");
  }
  std::optional<std::string> bytes = Base64Decode(stored->data.value("content_base64", ""));
  if (!bytes) return Status::Internal("stored image " + stored->id + " is not base64");
  type = stored->data.value("type", "application/octet-stream");
  return std::move(*bytes);
}

Result<Json> GetPost(const Env& env, const Person& who, std::string_view id) {
  Json account;
  GH_ASSIGN_OR_RETURN(Doc d, Find(env, who, id, account));
  // The checklist is live: consents and devices may have been recorded since.
  const std::string status = d.data.value("status", "");
  if (status == "draft" || status == "submitted" || status == "changes_requested") {
    GH_RETURN_IF_ERROR(Checklist(env, d.data).status());
  }
  return View(env, who, d, account);
}

Result<Json> ListPosts(const Env& env, const Person& who, std::string_view queue,
                       std::string_view status) {
  if (queue.empty()) queue = "all";
  GH_RETURN_IF_ERROR(OneOf(queue, {"mine", "approve", "publish", "all"}, "queue"));
  GH_ASSIGN_OR_RETURN(std::vector<Doc> docs, LoadAll(env, kPostKind));
  std::map<std::string, Json> accounts;
  Json out = Json::array();
  for (const Doc& d : docs) {
    const std::string aid = d.data["account"].value("id", "");
    if (!accounts.count(aid)) {
      auto a = LoadAccount(env, aid);
      accounts[aid] = a.ok() ? *a : Json::object();
    }
    const Json& account = accounts[aid];
    if (!CanSee(env, who, d, account)) continue;
    const std::string st = d.data.value("status", "");
    if (!status.empty() && st != status) continue;
    const bool author = d.data.value("author", "") == who.username;
    if (queue == "mine" && !author) continue;
    if (queue == "approve" && (author || !IsApprover(env, who, d) || st != "submitted")) continue;
    if (queue == "publish" &&
        (!IsPublisher(env, who, d, account) || (st != "approved" && st != "removal_required"))) {
      continue;
    }
    Json v = View(env, who, d, account);
    v.erase("history");
    out.push_back(std::move(v));
  }
  return Json{{"posts", out}};
}

Result<Json> PostAction(const Env& env, const Person& who, std::string_view id,
                        std::string_view action, const Json& in) {
  GH_RETURN_IF_ERROR(OneOf(
      action,
      {"submit", "approve", "request_changes", "reject", "publish", "withdraw", "confirm_removed"},
      "action"));
  Json account;
  GH_ASSIGN_OR_RETURN(Doc d, Find(env, who, id, account));
  GH_RETURN_IF_ERROR(NeedVersion(in, d));
  Json& p = d.data;
  const std::string status = p.value("status", "");
  const bool author = p.value("author", "") == who.username;
  const std::string title = "\"" + p["content"].value("text", "").substr(0, 60) + "\"";
  std::vector<store::Change> changes;
  auto want = [&](std::initializer_list<const char*> states) -> Status {
    for (const char* s : states) {
      if (status == s) return Status::Ok();
    }
    return Status::FailedPrecondition("cannot " + std::string(action) + " a post that is " +
                                      status);
  };
  GH_ASSIGN_OR_RETURN(std::string reason, Text(in, "reason", false, 2000));
  const std::string mail_key = d.id + "." + std::string(action) + "." + std::to_string(d.version);

  if (action == "submit") {
    if (!author) return Status::PermissionDenied("only the author can submit a post");
    GH_RETURN_IF_ERROR(want({"draft", "changes_requested"}));
    GH_RETURN_IF_ERROR(Checklist(env, p).status());
    if (ApproverRoles(*env.pack).empty()) {
      // No approval step (Lionheart): the checklist is the gate.
      if (!p.value("ready", false)) {
        return Status::FailedPrecondition(
            "the checklist has items to resolve before the post can be published");
      }
      p["status"] = "approved";
      p["approval"] = {
          {"by", "checklist"},
          {"at", Iso(env.now)},
          {"content_hash", p["content_hash"]},
          {"expires_at", p.value("scheduled_for", "").empty() ? Iso(env.now + kApprovalValidSeconds)
                                                              : p.value("scheduled_for", "")}};
      AddHistory(env, p, who.username, "submit", "checklist clear; ready to publish");
    } else {
      p["status"] = "submitted";
      p["submitted_at"] = Iso(env.now);
      AddHistory(env, p, who.username, "submit");
      GH_ASSIGN_OR_RETURN(std::vector<store::User> approvers,
                          Holders(env, ApproverRoles(*env.pack), d.school));
      std::erase_if(approvers, [&](const store::User& u) { return u.username == who.username; });
      Mail(env, approvers,
           {"Official post awaiting approval",
            who.display_name + " asks for go-live approval of a post for " +
                p["account"].value("id", "") + ": " + title + "\nChecklist ready: " +
                (p.value("ready", false) ? "yes" : "no, items to resolve") + "\nPost id: " + d.id,
            false},
           mail_key, changes);
    }
  } else if (action == "approve" || action == "request_changes" || action == "reject") {
    if (!IsApprover(env, who, d)) {
      return Status::PermissionDenied("only the " + Join(ApproverRoles(*env.pack), " or ") +
                                      " can " + std::string(action) + " official posts");
    }
    if (author)
      return Status::PermissionDenied("you cannot " + std::string(action) + " your own post");
    GH_RETURN_IF_ERROR(want({"submitted"}));
    if (action == "approve") {
      GH_RETURN_IF_ERROR(Checklist(env, p).status());
      if (!p.value("ready", false)) {
        std::string open;
        for (const Json& i : p["checklist"]) {
          if (i["status"] != "ok") open += (open.empty() ? "" : "; ") + i.value("title", "");
        }
        return Status::FailedPrecondition("the checklist is not clear: " + open);
      }
      const std::string sched = p.value("scheduled_for", "");
      p["status"] = "approved";
      p["approval"] = {
          {"by", who.username},
          {"at", Iso(env.now)},
          {"content_hash", p["content_hash"]},
          {"expires_at", sched.empty() ? Iso(env.now + kApprovalValidSeconds) : sched}};
      AddHistory(env, p, who.username, "approve", reason);
      // Tell the publishers.
      std::vector<store::User> pubs;
      const auto roles = PublisherRoles(*env.pack);
      GH_ASSIGN_OR_RETURN(std::vector<store::User> all, env.store->ListUsers(env.trust()));
      for (const store::User& u : all) {
        if (!u.disabled && IsPublisher(env, PersonOf(u), d, account)) pubs.push_back(u);
      }
      Mail(env, pubs,
           {"Official post approved: ready to publish",
            "A post for " + p["account"].value("id", "") + " was approved by " + who.display_name +
                " and can go live: " + title + "\nPost id: " + d.id,
            true},
           mail_key, changes);
    } else {
      if (reason.empty()) return Status::InvalidArgument("reason: is required");
      p["status"] = action == "reject" ? "rejected" : "changes_requested";
      p["reason"] = reason;
      AddHistory(env, p, who.username, action, reason);
    }
    GH_ASSIGN_OR_RETURN(std::optional<store::User> a, UserByName(env, p.value("author", "")));
    if (a) {
      Mail(env, {*a},
           {"Your official post: " + std::string(action == "approve"  ? "approved"
                                                 : action == "reject" ? "rejected"
                                                                      : "changes requested"),
            who.display_name + " " +
                (action == "approve"  ? "approved"
                 : action == "reject" ? "rejected"
                                      : "asked for changes to") +
                " your post " + title + (reason.empty() ? "" : "\nReason: " + reason) +
                "\nPost id: " + d.id,
            true},
           mail_key + ".author", changes);
    }
  } else if (action == "publish") {
    if (!IsPublisher(env, who, d, account)) {
      return Status::PermissionDenied("only the account's designated publisher can publish");
    }
    GH_RETURN_IF_ERROR(want({"approved"}));
    const Json& ap = p["approval"];
    if (ap.is_null() || ap.value("content_hash", "") != ContentHash(p)) {
      return Status::FailedPrecondition("the content is not what was approved");
    }
    GH_ASSIGN_OR_RETURN(int64_t expires, ParseTime(ap.value("expires_at", ""), "expires_at"));
    if (env.now > expires) {
      return Status::FailedPrecondition("the approval expired at " + ap.value("expires_at", "") +
                                        "; submit the post again");
    }
    GH_ASSIGN_OR_RETURN(bool followed, Flag(in, "policy_followed", false));
    if (!followed) {
      return Status::InvalidArgument(
          "policy_followed: confirm that the policy was followed (all staff share this "
          "responsibility)");
    }
    GH_ASSIGN_OR_RETURN(std::string url, Text(in, "url", false, 2000));
    p["status"] = "published";
    p["published"] = {{"by", who.username}, {"at", Iso(env.now)}, {"url", url}};
    AddHistory(env, p, who.username, "publish", url);
  } else if (action == "withdraw") {
    if (!author) return Status::PermissionDenied("only the author can withdraw a post");
    GH_RETURN_IF_ERROR(want({"draft", "submitted", "changes_requested", "approved", "expired"}));
    p["status"] = "withdrawn";
    AddHistory(env, p, who.username, "withdraw", reason);
  } else if (action == "confirm_removed") {
    if (!IsPublisher(env, who, d, account) && !IsApprover(env, who, d)) {
      return Status::PermissionDenied("only the publisher or the approver confirms removal");
    }
    GH_RETURN_IF_ERROR(want({"removal_required"}));
    p["status"] = "removed";
    p["removal"]["confirmed_by"] = who.username;
    p["removal"]["confirmed_at"] = Iso(env.now);
    AddHistory(env, p, who.username, "confirm_removed", reason);
  }
  changes.insert(changes.begin(), Put(kPostKind, d));
  GH_RETURN_IF_ERROR(Commit(env, who.username, std::move(changes)));
  ++d.version;
  return View(env, who, d, account);
}

Result<PostSweep> SweepPosts(const Env& env) {
  PostSweep out;
  GH_ASSIGN_OR_RETURN(std::vector<Doc> docs, LoadAll(env, kPostKind));
  for (Doc& d : docs) {
    Json& p = d.data;
    const std::string status = p.value("status", "");
    std::vector<store::Change> changes;
    if (status == "approved") {
      auto expires = ParseTime(p["approval"].value("expires_at", ""), "expires_at");
      if (!expires.ok() || env.now <= *expires) continue;
      p["status"] = "expired";
      AddHistory(env, p, "system", "expire",
                 "the approval was not used by " + p["approval"].value("expires_at", ""));
      ++out.expired;
    } else if (status == "published" && env.registers) {
      std::vector<std::string> withdrawn;
      const bool images = !p["content"]["images"].empty();
      for (const Json& pj : p["content"]["pupils"]) {
        const engine::Pupil* pupil = env.registers->FindPupil(pj.get<std::string>());
        if (!pupil) continue;
        const bool photo_ok = !images || ConsentOn(env, p, *pupil, "photo").value_or(false);
        const bool social_ok = ConsentOn(env, p, *pupil, "social_media").value_or(false);
        if (!photo_ok || !social_ok) withdrawn.push_back(pupil->id);
      }
      if (withdrawn.empty()) continue;
      p["status"] = "removal_required";
      p["removal"] = {
          {"reason", "consent withdrawn"}, {"pupils", withdrawn}, {"flagged_at", Iso(env.now)}};
      AddHistory(env, p, "system", "flag_for_removal",
                 "consent no longer granted for " + Join(withdrawn, ", "));
      ++out.flagged_for_removal;
      Json account;
      auto acc = LoadAccount(env, p["account"].value("id", ""));
      account = acc.ok() ? *acc : Json::object();
      GH_ASSIGN_OR_RETURN(std::vector<store::User> all, env.store->ListUsers(env.trust()));
      std::vector<store::User> to;
      for (const store::User& u : all) {
        if (u.disabled) continue;
        const Person person = PersonOf(u);
        if (IsPublisher(env, person, d, account) || IsApprover(env, person, d) ||
            u.username == p.value("author", "")) {
          to.push_back(u);
        }
      }
      Mail(env, to,
           {"Remove an official post: consent withdrawn",
            "Consent was withdrawn for a pupil shown or named in a published post on " +
                p["account"].value("id", "") + " (" + p["published"].value("url", "") +
                "). Remove it now and confirm in Gatehouse.\nPost id: " + d.id,
            true},
           d.id + ".removal", changes);
    } else {
      continue;
    }
    changes.insert(changes.begin(), Put(kPostKind, d));
    const Status st = Commit(env, "system:sweep", std::move(changes));
    if (!st.ok() && st.code() != Status::Code::kConflict) return st;
  }
  return out;
}

}  // namespace gh::workflow
