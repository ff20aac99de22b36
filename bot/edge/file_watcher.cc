#include "bot/edge/file_watcher.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "bot/edge/log.h"

namespace bot::edge {
namespace {

constexpr uint32_t kDirEvents = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE |
                                IN_DELETE | IN_MODIFY | IN_DELETE_SELF | IN_MOVE_SELF;
// How often a directory that vanished is looked for again.
constexpr int kRewatchMs = 500;

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

FileWatcher::FileWatcher(std::vector<std::string> dirs, std::chrono::milliseconds debounce,
                         std::function<void()> on_change)
    : dirs_(std::move(dirs)), debounce_(debounce), on_change_(std::move(on_change)) {}

FileWatcher::~FileWatcher() { Stop(); }

bool FileWatcher::Relevant(const std::string& name) {
  if (name == "..data") return true;
  if (name.empty() || name[0] == '.') return false;
  return EndsWith(name, ".yaml") || EndsWith(name, ".yml");
}

bool FileWatcher::AddWatches() {
  bool added = false;
  for (size_t i = 0; i < dirs_.size(); ++i) {
    if (watches_[i] >= 0) continue;
    int wd = inotify_add_watch(inotify_fd_, dirs_[i].c_str(), kDirEvents | IN_ONLYDIR);
    if (wd >= 0) {
      watches_[i] = wd;
      added = true;
    }
  }
  return added;
}

core::Status FileWatcher::Start() {
  inotify_fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify_fd_ < 0) return core::Status::IoError(std::string("inotify: ") + std::strerror(errno));
  stop_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (stop_fd_ < 0) {
    close(inotify_fd_);
    inotify_fd_ = -1;
    return core::Status::IoError(std::string("eventfd: ") + std::strerror(errno));
  }
  watches_.assign(dirs_.size(), -1);
  AddWatches();
  for (size_t i = 0; i < dirs_.size(); ++i) {
    if (watches_[i] < 0) {
      std::string why = std::strerror(errno);
      Stop();
      return core::Status::IoError("cannot watch " + dirs_[i] + ": " + why);
    }
  }
  thread_ = std::thread([this] { Run(); });
  return core::Status::Ok();
}

void FileWatcher::Stop() {
  if (thread_.joinable()) {
    uint64_t one = 1;
    [[maybe_unused]] ssize_t n = write(stop_fd_, &one, sizeof one);
    thread_.join();
  }
  if (inotify_fd_ >= 0) close(inotify_fd_);
  if (stop_fd_ >= 0) close(stop_fd_);
  inotify_fd_ = stop_fd_ = -1;
}

void FileWatcher::Run() {
  using Clock = std::chrono::steady_clock;
  bool pending = false;
  Clock::time_point deadline;
  alignas(inotify_event) char buffer[16 * 1024];
  while (true) {
    bool lost = false;
    for (int wd : watches_) lost = lost || wd < 0;
    int timeout = -1;
    if (pending) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      timeout = static_cast<int>(std::max<int64_t>(0, left.count()));
    }
    if (lost && (timeout < 0 || timeout > kRewatchMs)) timeout = kRewatchMs;
    pollfd fds[2] = {{stop_fd_, POLLIN, 0}, {inotify_fd_, POLLIN, 0}};
    int ready = poll(fds, 2, timeout);
    if (ready < 0 && errno != EINTR) {
      Log(LogLevel::kError, {{"event", "watch"}, {"error", std::strerror(errno)}});
      return;
    }
    if (fds[0].revents & POLLIN) return;
    if (ready > 0 && (fds[1].revents & POLLIN)) {
      ssize_t n;
      while ((n = read(inotify_fd_, buffer, sizeof buffer)) > 0) {
        for (char* p = buffer; p < buffer + n;) {
          auto* ev = reinterpret_cast<inotify_event*>(p);
          p += sizeof(inotify_event) + ev->len;
          bool relevant = (ev->mask & IN_Q_OVERFLOW) != 0;
          if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) {
            for (int& wd : watches_) {
              if (wd == ev->wd) {
                if (!(ev->mask & IN_IGNORED)) inotify_rm_watch(inotify_fd_, wd);
                wd = -1;
              }
            }
            relevant = true;
          }
          if (ev->len > 0 && Relevant(ev->name)) relevant = true;
          if (relevant) {
            pending = true;
            deadline = Clock::now() + debounce_;
          }
        }
      }
    }
    if (lost && AddWatches()) {
      // The directory came back, probably with new content.
      pending = true;
      deadline = Clock::now() + debounce_;
    }
    if (pending && Clock::now() >= deadline) {
      pending = false;
      ++fired_;
      on_change_();
    }
  }
}

}  // namespace bot::edge
