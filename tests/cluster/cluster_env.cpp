#include "cluster/cluster_env.hpp"

#include <signal.h>
#include <sys/types.h>

#include <cstdlib>
#include <fstream>

namespace fibersql::testing {
namespace {

std::string first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

std::string galera_file(int node, const char* name) {
  return std::string(FIBERSQL_GALERA_DIR) + "/node" + std::to_string(node) + "/" + name;
}

std::string replication_file(const char* role, const char* name) {
  return std::string(FIBERSQL_REPLICATION_DIR) + "/" + role + "/" + name;
}

// The build paths have no quotes in them; single quotes keep spaces safe.
std::string shell_word(const char* text) {
  std::string out = "'";
  out += text;
  out += "'";
  return out;
}

}  // namespace

std::string galera_url(int node) {
  return first_line(galera_file(node, "url"));
}
std::string primary_url() {
  return first_line(replication_file("primary", "url"));
}
std::string replica_url() {
  return first_line(replication_file("replica", "url"));
}
std::string primary_admin_url() {
  return first_line(replication_file("primary", "admin_url"));
}
std::string replica_admin_url() {
  return first_line(replication_file("replica", "admin_url"));
}

void kill_galera_node(int node) {
  const std::string pid = first_line(galera_file(node, "pid"));
  if (!pid.empty()) ::kill(static_cast<pid_t>(std::stol(pid)), SIGKILL);
}

int galera_script(const std::string& verb, int node) {
  std::string cmd = shell_word(FIBERSQL_GALERA_SCRIPT);
  cmd += " " + verb + " " + shell_word(FIBERSQL_GALERA_DIR);
  if (node > 0) {
    cmd += ' ';
    cmd += std::to_string(node);
  }
  return std::system(cmd.c_str());
}

int replication_script(const std::string& verb, const std::string& role) {
  std::string cmd = shell_word(FIBERSQL_REPLICATION_SCRIPT);
  cmd += " " + verb + " " + shell_word(FIBERSQL_REPLICATION_DIR) + " " + role;
  return std::system(cmd.c_str());
}

}  // namespace fibersql::testing
