#include "notify/mail.h"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "base/base64.h"
#include "base/time.h"
#include "base/utf8.h"

namespace gh::notify {
namespace {

// RFC 5322 §3.2.3 atext: letters, digits and !#$%&'*+-/=?^_`{|}~, none of
// which needs quoting in a header or inside <...> in an SMTP command.
bool IsAtext(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::strchr("!#$%&'*+-/=?^_`{|}~", c) != nullptr && c != '\0';
}

bool HasLineBreak(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

Status NoLineBreak(std::string_view value, std::string_view field) {
  if (HasLineBreak(value)) {
    return Status::InvalidArgument(std::string(field) +
                                   ": contains a line break (CR or LF); refused, as it could "
                                   "inject a header");
  }
  return Status::Ok();
}

// A subject that can go out as it is: printable ASCII, nothing that reads as
// an encoded-word ("=?"), and no word too long to fold under the 998-octet
// line limit (RFC 5322 §2.1.1).
bool IsPlainSubject(std::string_view s) {
  size_t word = 0;
  for (char c : s) {
    if (c < 0x20 || c > 0x7E) return false;
    word = c == ' ' ? 0 : word + 1;
    if (word > 900) return false;
  }
  return s.find("=?") == std::string_view::npos;
}

// "Subject: " + the subject folded at spaces near 78 characters (RFC 5322
// §2.2.3: folding inserts CRLF before a space, which stays).
void AppendPlainSubject(std::string& out, std::string_view subject) {
  out += "Subject: ";
  size_t line = 9;
  size_t pos = 0;
  bool first = true;
  while (pos <= subject.size()) {
    // A token is a word with the space before it (except the first).
    size_t end = subject.find(' ', first ? pos : pos + 1);
    if (end == std::string_view::npos) end = subject.size();
    const std::string_view token = subject.substr(pos, end - pos);
    const bool blank = token.find_first_not_of(' ') == std::string_view::npos;
    if (!first && !blank && line + token.size() > 78) {
      out += "\r\n";
      line = 0;
    }
    out += token;
    line += token.size();
    first = false;
    if (end == subject.size()) break;
    pos = end;
  }
  out += "\r\n";
}

// RFC 2047 §4.1 "B" encoded-words, each at most 75 characters (§2), split on
// UTF-8 character boundaries (§5: a character must not be split between
// words), folded one word per line.
void AppendEncodedSubject(std::string& out, std::string_view subject) {
  constexpr size_t kMaxBytes = 45;  // 60 base64 characters + 12 of "=?UTF-8?B?" "?="
  out += "Subject:";
  size_t pos = 0;
  bool first = true;
  while (pos < subject.size()) {
    size_t end = pos;
    while (end < subject.size()) {
      size_t next = end;
      utf8::Next(subject, next);
      if (next - pos > kMaxBytes) break;
      end = next;
    }
    if (!first) out += "\r\n";
    out += " =?UTF-8?B?";
    out += Base64Encode(subject.substr(pos, end - pos));
    out += "?=";
    first = false;
    pos = end;
  }
  out += "\r\n";
}

void AppendHex(std::string& out, unsigned char c) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  out += '=';
  out += kHex[c >> 4];
  out += kHex[c & 15];
}

// RFC 2045 §6.7 quoted-printable: '=' and bytes outside printable ASCII as
// =XX (rule 1), space and tab literal except at the end of a line (rule 3),
// line breaks as CRLF (rule 4), soft breaks "=" CRLF keeping every line at
// most 76 characters (rule 5). A leading '.' is left alone: libcurl
// dot-stuffs the whole DATA, which the tests check.
void AppendQuotedPrintableLine(std::string& out, std::string_view line) {
  size_t width = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    const auto c = static_cast<unsigned char>(line[i]);
    std::string token;
    const bool last = i + 1 == line.size();
    if ((c == ' ' || c == '\t') && !last) {
      token = static_cast<char>(c);
    } else if (c >= 33 && c <= 126 && c != '=') {
      token = static_cast<char>(c);
    } else {
      AppendHex(token, c);
    }
    if (width + token.size() > 75) {
      out += "=\r\n";
      width = 0;
    }
    out += token;
    width += token.size();
  }
  out += "\r\n";
}

std::string QuotedPrintable(std::string_view body) {
  std::string out;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t end = body.find('\n', pos);
    const bool has_break = end != std::string_view::npos;
    if (!has_break) end = body.size();
    std::string_view line = body.substr(pos, end - pos);
    if (has_break && !line.empty() && line.back() == '\r') line.remove_suffix(1);
    AppendQuotedPrintableLine(out, line);
    pos = has_break ? end + 1 : end;
  }
  return out;
}

// "<id@domain>" from "id@domain" or "<id@domain>".
Result<std::string> NormaliseMessageId(std::string_view id) {
  std::string_view inner = id;
  if (inner.size() >= 2 && inner.front() == '<' && inner.back() == '>') {
    inner = inner.substr(1, inner.size() - 2);
  }
  const size_t at = inner.find('@');
  bool ok = at != std::string_view::npos && at > 0 && at + 1 < inner.size();
  for (char c : inner) {
    if (c <= 0x20 || c > 0x7E || c == '<' || c == '>') ok = false;
  }
  if (!ok) {
    return Status::InvalidArgument("message_id: '" + std::string(id) +
                                   "' is not a message id (id@domain, printable ASCII)");
  }
  return "<" + std::string(inner) + ">";
}

std::string Redact(std::string text, std::string_view secret) {
  if (secret.empty()) return text;
  for (size_t p = text.find(secret); p != std::string::npos; p = text.find(secret, p)) {
    text.replace(p, secret.size(), "[REDACTED]");
    p += 10;
  }
  return text;
}

// The URL without any user:password@ part, for messages.
std::string UrlForMessage(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  const size_t host = scheme + 3;
  const size_t slash = url.find('/', host);
  const size_t at = url.rfind('@', slash == std::string_view::npos ? url.size() : slash);
  if (at == std::string_view::npos || at < host) return std::string(url);
  return std::string(url.substr(0, host)) + "[REDACTED]@" + std::string(url.substr(at + 1));
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

// curl_global_init is not thread-safe and must run once per process.
CURLcode GlobalInit() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  return result;
}

struct Upload {
  std::string_view data;
  size_t pos = 0;
};

size_t ReadUpload(char* buffer, size_t size, size_t nitems, void* userp) {
  auto* up = static_cast<Upload*>(userp);
  const size_t room = size * nitems;
  const size_t n = std::min(room, up->data.size() - up->pos);
  std::memcpy(buffer, up->data.data() + up->pos, n);
  up->pos += n;
  return n;
}

struct CurlCleanup {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistCleanup {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

Status ValidateAddress(std::string_view address, std::string_view field) {
  const std::string where = std::string(field) + ": '" + std::string(address) + "' ";
  GH_RETURN_IF_ERROR(NoLineBreak(address, field));
  if (address.empty()) return Status::InvalidArgument(std::string(field) + ": empty address");
  if (address.size() > 254) return Status::InvalidArgument(where + "is longer than 254 bytes");
  const size_t at = address.find('@');
  if (at == std::string_view::npos) return Status::InvalidArgument(where + "has no '@'");
  if (address.find('@', at + 1) != std::string_view::npos) {
    return Status::InvalidArgument(where + "has more than one '@'");
  }
  const std::string_view local = address.substr(0, at), domain = address.substr(at + 1);
  if (local.empty() || local.size() > 64) {
    return Status::InvalidArgument(where + "needs a local part of 1 to 64 characters before '@'");
  }
  // dot-atom (RFC 5322 §3.2.3): atext runs separated by single dots.
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return Status::InvalidArgument(where + "has a misplaced '.' in the local part");
  }
  for (char c : local) {
    if (c != '.' && !IsAtext(c)) {
      return Status::InvalidArgument(where + "has a character not allowed in an address");
    }
  }
  // A host name (RFC 1035 labels): letters, digits, '-', dot-separated.
  if (domain.empty() || domain.front() == '.' || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos) {
    return Status::InvalidArgument(where + "has no valid domain after '@'");
  }
  for (char c : domain) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.';
    if (!ok) return Status::InvalidArgument(where + "has a character not allowed in a domain");
  }
  return Status::Ok();
}

Status ValidateMail(const Mail& mail) {
  if (!mail.from.empty()) GH_RETURN_IF_ERROR(ValidateAddress(mail.from, "from"));
  if (mail.to.empty()) return Status::InvalidArgument("to: no recipient");
  for (const std::string& to : mail.to) GH_RETURN_IF_ERROR(ValidateAddress(to, "to"));
  GH_RETURN_IF_ERROR(NoLineBreak(mail.subject, "subject"));
  GH_RETURN_IF_ERROR(NoLineBreak(mail.message_id, "message_id"));
  if (!utf8::IsValid(mail.subject)) return Status::InvalidArgument("subject: not valid UTF-8");
  if (!utf8::IsValid(mail.body)) return Status::InvalidArgument("body: not valid UTF-8");
  if (!mail.message_id.empty()) GH_RETURN_IF_ERROR(NormaliseMessageId(mail.message_id).status());
  return Status::Ok();
}

std::string Rfc5322Date(int64_t epoch_seconds) {
  static constexpr std::array<const char*, 7> kDays = {"Mon", "Tue", "Wed", "Thu",
                                                       "Fri", "Sat", "Sun"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int64_t days = epoch_seconds / 86400, secs = epoch_seconds % 86400;
  if (secs < 0) {
    secs += 86400;
    --days;
  }
  const CivilDate d = CivilFromDays(days);
  char out[64];
  std::snprintf(out, sizeof out, "%s, %02d %s %04d %02d:%02d:%02d +0000",
                kDays[static_cast<size_t>(Weekday(d))], d.day,
                kMonths[static_cast<size_t>(d.month - 1)], d.year, static_cast<int>(secs / 3600),
                static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
  return out;
}

Result<std::string> RenderMessage(const Mail& mail, std::string_view date_rfc5322) {
  if (mail.from.empty()) return Status::InvalidArgument("from: no sender");
  GH_RETURN_IF_ERROR(ValidateMail(mail));
  GH_RETURN_IF_ERROR(NoLineBreak(date_rfc5322, "date"));
  if (date_rfc5322.empty()) return Status::InvalidArgument("date: empty");

  std::string out;
  out.reserve(mail.body.size() * 3 / 2 + 512);
  out += "Date: ";
  out += date_rfc5322;
  out += "\r\nFrom: ";
  out += mail.from;
  out += "\r\nTo: ";
  size_t line = 4;
  for (size_t i = 0; i < mail.to.size(); ++i) {
    if (i > 0) {
      out += ',';
      if (line + 2 + mail.to[i].size() > 78) {
        out += "\r\n";
        line = 0;
      }
      out += ' ';
      line += 2;
    }
    out += mail.to[i];
    line += mail.to[i].size();
  }
  out += "\r\n";
  if (IsPlainSubject(mail.subject)) {
    AppendPlainSubject(out, mail.subject);
  } else {
    AppendEncodedSubject(out, mail.subject);
  }
  if (!mail.message_id.empty()) {
    GH_ASSIGN_OR_RETURN(const std::string id, NormaliseMessageId(mail.message_id));
    out += "Message-ID: " + id + "\r\n";
  }
  out +=
      "MIME-Version: 1.0\r\n"
      "Content-Type: text/plain; charset=UTF-8\r\n"
      "Content-Transfer-Encoding: quoted-printable\r\n"
      "\r\n";
  out += QuotedPrintable(mail.body);
  return out;
}

Mailer::~Mailer() = default;

SmtpMailer::SmtpMailer(SmtpOptions options) : options_(std::move(options)) {}

Status SmtpMailer::Send(const Mail& input) {
  const std::string url_text = UrlForMessage(options_.url);
  const bool smtps = StartsWithNoCase(options_.url, "smtps://");
  if (!smtps && !StartsWithNoCase(options_.url, "smtp://")) {
    return Status::FailedPrecondition("smtp: url '" + Redact(url_text, options_.password) +
                                      "' must start with smtp:// or smtps://");
  }
  if (!options_.username.empty() && !options_.password.empty() && !options_.require_tls && !smtps) {
    return Status::FailedPrecondition(
        "smtp: refusing to send a password without TLS; set require_tls or use smtps://");
  }
  Mail mail = input;
  if (mail.from.empty()) mail.from = options_.from;
  if (mail.from.empty()) {
    return Status::InvalidArgument(
        "from: no sender (the mail has none and SmtpOptions::from is empty)");
  }
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  GH_ASSIGN_OR_RETURN(const std::string message, RenderMessage(mail, Rfc5322Date(now)));

  if (GlobalInit() != CURLE_OK) return Status::Internal("smtp: curl_global_init failed");
  std::unique_ptr<CURL, CurlCleanup> curl(curl_easy_init());
  if (!curl) return Status::Internal("smtp: curl_easy_init failed");

  std::unique_ptr<curl_slist, SlistCleanup> rcpts;
  for (const std::string& to : mail.to) {
    curl_slist* grown = curl_slist_append(rcpts.get(), ("<" + to + ">").c_str());
    if (grown == nullptr) return Status::Internal("smtp: out of memory");
    (void)rcpts.release();
    rcpts.reset(grown);
  }
  const std::string mail_from = "<" + mail.from + ">";
  Upload upload{message, 0};
  char error[CURL_ERROR_SIZE] = {};

  CURL* h = curl.get();
  CURLcode rc = CURLE_OK;
  auto set = [&rc](CURLcode r) {
    if (rc == CURLE_OK) rc = r;
  };
  set(curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error));
  set(curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps"));
  set(curl_easy_setopt(h, CURLOPT_URL, options_.url.c_str()));
  set(curl_easy_setopt(h, CURLOPT_MAIL_FROM, mail_from.c_str()));
  set(curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpts.get()));
  set(curl_easy_setopt(h, CURLOPT_READFUNCTION, &ReadUpload));
  set(curl_easy_setopt(h, CURLOPT_READDATA, &upload));
  set(curl_easy_setopt(h, CURLOPT_UPLOAD, 1L));
  set(curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size())));
  set(curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L));  // no SIGALRM: we run in threads
  set(curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, options_.timeout_ms));
  set(curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, options_.timeout_ms));
  set(curl_easy_setopt(h, CURLOPT_USE_SSL,
                       static_cast<long>(options_.require_tls ? CURLUSESSL_ALL : CURLUSESSL_NONE)));
  if (!options_.username.empty()) {
    set(curl_easy_setopt(h, CURLOPT_USERNAME, options_.username.c_str()));
    set(curl_easy_setopt(h, CURLOPT_PASSWORD, options_.password.c_str()));
  }
  if (rc != CURLE_OK) {
    return Status::Internal("smtp: libcurl refused an option: " +
                            std::string(curl_easy_strerror(rc)));
  }

  rc = curl_easy_perform(h);
  if (rc != CURLE_OK) {
    long reply = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply);
    std::string text = error[0] != '\0' ? std::string(error) : curl_easy_strerror(rc);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    std::string msg = "smtp: sending to " + std::to_string(mail.to.size()) + " recipient(s) via " +
                      url_text + " failed: " + text;
    if (reply != 0) msg += " (last server reply " + std::to_string(reply) + ")";
    return Status::Internal(Redact(std::move(msg), options_.password));
  }
  return Status::Ok();
}

}  // namespace gh::notify
