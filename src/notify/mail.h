// Mail: one plain-text e-mail, how it is written as an RFC 5322 message, and
// the Mailer that sends it (SmtpMailer: SMTP through libcurl).
//
// RenderMessage is pure: the same Mail and date give the same bytes. It writes
// CRLF line endings, a Subject that is an RFC 2047 encoded-word when it is not
// plain ASCII, and a quoted-printable UTF-8 body (RFC 2045 §6.7), so the
// message is 7-bit clean, every line is at most 76 characters and no relay
// needs 8BITMIME. A CR or LF in a header field is refused, never stripped:
// silently "fixing" it would hide a header-injection attempt.
//
// Thread-safety: the functions are pure. A Mailer's Send may be called from
// many threads at once (SmtpMailer opens one connection per Send).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/status.h"

namespace gh::notify {

struct Mail {
  std::string from;             // an address; "" = the Mailer's default sender
  std::vector<std::string> to;  // one or more addresses
  std::string subject;          // UTF-8, one line
  std::string body;             // plain text UTF-8; "\n" or "\r\n" line ends
  std::string message_id;       // "id@domain" or "<id@domain>"; "" = no Message-ID header
};

// A bare address ("head@school.example"), at most 254 bytes: a dot-atom local
// part of 1 to 64 ASCII atext characters (RFC 5322 §3.2.3), one '@', and a
// host name of letters, digits, '-' and single dots. No display names,
// quotes, brackets, spaces, control characters or non-ASCII (they would need
// quoting in headers and in SMTP commands, or SMTPUTF8). InvalidArgument
// names `field`.
Status ValidateAddress(std::string_view address, std::string_view field = "address");

// Everything RenderMessage checks, except that an empty `from` is allowed (a
// Mailer may supply its default sender): addresses valid, `to` not empty, no
// CR or LF in from, to, subject or message_id, subject and body valid UTF-8.
Status ValidateMail(const Mail& mail);

// The RFC 5322 date of an instant, in UTC: "Wed, 04 Mar 2026 10:00:00 +0000".
std::string Rfc5322Date(int64_t epoch_seconds);

// The whole message (headers, blank line, body), CRLF line ends:
//   Date, From, To, Subject, Message-ID, MIME-Version: 1.0,
//   Content-Type: text/plain; charset=UTF-8, Content-Transfer-Encoding:
//   quoted-printable.
// InvalidArgument naming the field for anything ValidateMail refuses, an
// empty from, or a date with a line break.
Result<std::string> RenderMessage(const Mail& mail, std::string_view date_rfc5322);

// Sends mail. Implementations must be safe to call from several threads.
class Mailer {
 public:
  virtual ~Mailer();
  // OK once the server has accepted the message for every recipient.
  virtual Status Send(const Mail& mail) = 0;
};

struct SmtpOptions {
  // smtp://host:port (STARTTLS when require_tls) or smtps://host:port
  // (TLS from the first byte). A path names the EHLO domain:
  // smtp://relay.example:587/gatehouse.school.example.
  // Default: "smtp://127.0.0.1:25".
  std::string url = "smtp://127.0.0.1:25";
  // The sender used when a Mail's from is empty. Default: "" (then every
  // Mail must name its sender).
  std::string from;
  // SMTP AUTH, only when username is not empty. A password is sent only over
  // TLS (require_tls or smtps://); Send refuses otherwise. The password never
  // appears in an error message. Put credentials here, not in the URL (the
  // TLS check does not look there). Default: "" (no AUTH).
  std::string username, password;
  // Upgrade with STARTTLS and fail if the server cannot; the certificate is
  // verified against the system's CA store. Default: false.
  bool require_tls = false;
  // Limit for connecting and for the whole exchange, in milliseconds.
  // Default: 10000.
  long timeout_ms = 10000;
};

// SMTP through libcurl (MAIL FROM, RCPT TO per recipient, DATA). libcurl
// dot-stuffs the DATA (a body line "." is sent as ".."; RFC 5321 §4.5.2), so
// any body survives. Errors: InvalidArgument for a Mail that ValidateMail or
// RenderMessage refuses, FailedPrecondition for bad options (a URL that is not
// smtp:// or smtps://, a password without TLS), Internal for everything the
// network or the server did (connection refused, timeout, a 4xx/5xx reply),
// with curl's error text and the server's last reply code.
class SmtpMailer final : public Mailer {
 public:
  explicit SmtpMailer(SmtpOptions options);
  Status Send(const Mail& mail) override;

 private:
  SmtpOptions options_;
};

}  // namespace gh::notify
