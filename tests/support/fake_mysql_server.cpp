#include "support/fake_mysql_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string_view>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/ssl.h>

namespace fibersql::testing {
namespace {

// Capability bits of the classic protocol (mysql_com.h), spelled out so that this fake needs
// no client headers.
constexpr unsigned long cap_long_password = 1, cap_long_flag = 4, cap_connect_with_db = 8, cap_protocol_41 = 512,
                        cap_ssl = 2048, cap_transactions = 8192, cap_secure_connection = 32768,
                        cap_multi_statements = 1UL << 16, cap_multi_results = 1UL << 17, cap_plugin_auth = 1UL << 19,
                        cap_connect_attrs = 1UL << 20, cap_plugin_auth_lenenc = 1UL << 21;

constexpr std::string_view scramble = "abcdefghijklmnopqrst";  // 20 bytes, no NUL

int must(int rc, const char* what) {
  if (rc < 0) throw std::runtime_error(std::string("fake_mysql_server: ") + what + ": " + std::strerror(errno));
  return rc;
}

}  // namespace

struct fake_mysql_server::session {
  int fd = -1;
  SSL_CTX* ctx = nullptr;
  SSL* ssl = nullptr;
  EVP_PKEY* rsa = nullptr;
  unsigned char seq = 0;
  std::string received;
  std::atomic<bool> tls{false};
  std::atomic<bool> reply{false};

  ~session() {
    if (ssl != nullptr) SSL_free(ssl);
    if (ctx != nullptr) SSL_CTX_free(ctx);
    if (rsa != nullptr) EVP_PKEY_free(rsa);
    if (fd >= 0) ::close(fd);
  }

  bool read_exact(char* p, std::size_t n) {
    while (n > 0) {
      const long got = ssl != nullptr ? SSL_read(ssl, p, static_cast<int>(n)) : ::recv(fd, p, n, 0);
      if (got <= 0) return false;
      p += got;
      n -= static_cast<std::size_t>(got);
    }
    return true;
  }
  void write_all(const std::string& bytes) {
    std::size_t off = 0;
    while (off < bytes.size()) {
      const long put = ssl != nullptr ? SSL_write(ssl, bytes.data() + off, static_cast<int>(bytes.size() - off))
                                      : ::send(fd, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
      if (put <= 0) return;
      off += static_cast<std::size_t>(put);
    }
  }
  // One packet: 3-byte length, sequence byte, payload. Returns false at EOF/timeout.
  bool read_packet(std::string& payload) {
    char head[4];
    if (!read_exact(head, 4)) return false;
    const std::size_t n = static_cast<unsigned char>(head[0]) | static_cast<unsigned char>(head[1]) << 8 |
                          static_cast<unsigned char>(head[2]) << 16;
    seq = static_cast<unsigned char>(head[3] + 1);
    payload.assign(n, '\0');
    if (!read_exact(payload.data(), n)) return false;
    received.append(head, 4).append(payload);
    return true;
  }
  void send_packet(const std::string& payload) {
    std::string out;
    out += static_cast<char>(payload.size() & 0xff);
    out += static_cast<char>((payload.size() >> 8) & 0xff);
    out += static_cast<char>((payload.size() >> 16) & 0xff);
    out += static_cast<char>(seq++);
    write_all(out + payload);
  }
  void send_error() {
    std::string p = "\xff";
    p += static_cast<char>(1045 & 0xff);
    p += static_cast<char>(1045 >> 8);
    p += "#28000Access denied (fake server)";
    send_packet(p);
  }
  std::string public_key_pem() const {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(bio, rsa);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<std::size_t>(n));
    BIO_free(bio);
    return pem;
  }
  // What an RSA-encrypted password reveals to the owner of the key: (password\0) XOR scramble.
  void record_decrypted(const std::string& blob) {
    EVP_PKEY_CTX* c = EVP_PKEY_CTX_new(rsa, nullptr);
    std::string plain(blob.size(), '\0');
    std::size_t n = plain.size();
    if (EVP_PKEY_decrypt_init(c) == 1 && EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_OAEP_PADDING) == 1 &&
        EVP_PKEY_decrypt(c, reinterpret_cast<unsigned char*>(plain.data()), &n,
                         reinterpret_cast<const unsigned char*>(blob.data()), blob.size()) == 1) {
      plain.resize(n);
      for (std::size_t i = 0; i < plain.size(); ++i)
        plain[i] = static_cast<char>(plain[i] ^ scramble[i % scramble.size()]);
      received += "\n[decrypted]" + plain;
    }
    EVP_PKEY_CTX_free(c);
  }
};

fake_mysql_server::fake_mysql_server(fake_server_script script)
    : script_(std::move(script)), session_(std::make_unique<session>()) {
  listen_fd_ = must(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), "socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  must(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), "bind");
  must(::listen(listen_fd_, 4), "listen");
  socklen_t len = sizeof addr;
  must(::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len), "getsockname");
  port_ = ntohs(addr.sin_port);
  session_->rsa = EVP_RSA_gen(2048);
  if (script_.offer_tls) {
    session_->ctx = SSL_CTX_new(TLS_server_method());
    if (SSL_CTX_use_certificate_chain_file(session_->ctx, script_.cert_file.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(session_->ctx, script_.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
      throw std::runtime_error("fake_mysql_server: cannot load " + script_.cert_file);
    }
  }
  thread_ = std::thread([this] { serve(); });
}

fake_mysql_server::~fake_mysql_server() {
  ::shutdown(listen_fd_, SHUT_RDWR);  // wakes a pending accept
  finish();
  ::close(listen_fd_);
}

void fake_mysql_server::finish() {
  if (!joined_) {
    thread_.join();
    joined_ = true;
  }
}

std::string fake_mysql_server::received() {
  finish();
  return session_->received;
}
bool fake_mysql_server::tls_used() {
  finish();
  return session_->tls;
}
bool fake_mysql_server::got_handshake_reply() {
  finish();
  return session_->reply;
}

void fake_mysql_server::serve() {
  session& s = *session_;
  s.fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
  if (s.fd < 0) return;  // stopped before any client came
  timeval limit{10, 0};  // a client that hangs must not hang the test
  ::setsockopt(s.fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  unsigned long caps = cap_long_password | cap_long_flag | cap_connect_with_db | cap_protocol_41 | cap_transactions |
                       cap_secure_connection | cap_multi_statements | cap_multi_results | cap_connect_attrs |
                       cap_plugin_auth_lenenc;
  if (script_.plugin_auth) caps |= cap_plugin_auth;
  if (script_.offer_tls) caps |= cap_ssl;
  std::string g =
      "\x0a"
      "5.5.5-10.11.99-MariaDB-fake";
  g += '\0';
  g += std::string("\x07\x00\x00\x00", 4);  // thread id
  g += scramble.substr(0, 8);
  g += '\0';
  g += static_cast<char>(caps & 0xff);
  g += static_cast<char>((caps >> 8) & 0xff);
  g += '\x2d';                      // utf8mb4_general_ci
  g += std::string("\x02\x00", 2);  // SERVER_STATUS_AUTOCOMMIT
  g += static_cast<char>((caps >> 16) & 0xff);
  g += static_cast<char>((caps >> 24) & 0xff);
  g += static_cast<char>(script_.plugin_auth ? 21 : 0);
  g += std::string(10, '\0');
  g += scramble.substr(8);
  g += '\0';
  if (script_.plugin_auth) g += script_.greeting_plugin + '\0';
  s.send_packet(g);

  std::string p;
  if (!s.read_packet(p)) return;
  const unsigned long client_caps = p.size() >= 4
                                        ? static_cast<unsigned char>(p[0]) | static_cast<unsigned char>(p[1]) << 8 |
                                              static_cast<unsigned long>(static_cast<unsigned char>(p[2])) << 16
                                        : 0;
  if (p.size() == 32 && (client_caps & cap_ssl) != 0 && script_.offer_tls) {
    s.ssl = SSL_new(s.ctx);
    SSL_set_fd(s.ssl, s.fd);
    if (SSL_accept(s.ssl) != 1) return;  // the client refused our certificate in the handshake
    s.tls = true;
    if (!s.read_packet(p)) return;
  }
  s.reply = true;
  std::string plugin = script_.greeting_plugin;
  if (!script_.switch_to.empty()) {
    plugin = script_.switch_to;
    std::string sw = "\xfe" + plugin + '\0';
    if (plugin == "dialog") {
      sw += "\x04Password: ";  // a password question (the dialog plugin's type 4)
    } else {
      sw += scramble;
    }
    sw += '\0';
    s.send_packet(sw);
  }
  // Play along with the plugin until the client has said what it will say.
  for (int round = 0; round < 4; ++round) {
    if (!s.read_packet(p)) return;
    const bool sha2 = plugin == "caching_sha2_password" || plugin == "sha256_password";
    if (!sha2) break;
    if (plugin == "caching_sha2_password" && p.size() == 32) {
      s.send_packet(std::string("\x01\x04", 2));  // perform full authentication
    } else if (p == std::string("\x02", 1) || p == std::string("\x01", 1)) {
      s.send_packet("\x01" + s.public_key_pem());  // here is "my" public key
    } else {
      if (p.size() == 256) s.record_decrypted(p);
      break;
    }
  }
  s.send_error();
}

}  // namespace fibersql::testing
