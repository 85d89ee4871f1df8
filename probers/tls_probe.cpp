// SPDX-License-Identifier: Apache-2.0
#include "probers/tls_probe.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <functional>
#include <thread>

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include "probers/tls_alarm.h"
#include "probers/tls_context.h"
#include "probers/tls_session.h"

namespace certvigil::probers {
namespace {

using asio::awaitable;
using asio::ip::tcp;

// A name rarely has more addresses; the bound keeps all_addresses from fanning out without end.
constexpr std::size_t kMaxAddresses = 16;
constexpr std::chrono::seconds kHeartbeatEvery{5};

struct Resolution {
  std::vector<tcp::endpoint> endpoints;
  ProbeFailure failure = ProbeFailure::None;
  std::string detail;
};

std::string describeResolveError(const std::error_code& ec) {
  if (ec == asio::error::host_not_found) return "no such host";
  if (ec == asio::error::host_not_found_try_again) return "the name could not be resolved now";
  if (ec == asio::error::no_data) return "the name has no address";
  return "the name could not be resolved: " + ec.message();
}

void keepUnique(std::vector<tcp::endpoint>& endpoints, const tcp::endpoint& endpoint) {
  if (endpoints.size() < kMaxAddresses &&
      std::find(endpoints.begin(), endpoints.end(), endpoint) == endpoints.end()) {
    endpoints.push_back(endpoint);
  }
}

// IP literals need no lookup. Names go through asio's resolver, which runs getaddrinfo on a
// helper thread: the deadline cancels the wait, but a lookup already inside getaddrinfo ends
// only when the system resolver gives up (its own timeout, 5 s per server by default).
awaitable<Resolution> resolve(const TlsProbeRequest& request, const ProbeClock& clock) {
  Resolution result;
  if (request.port <= 0 || request.port > 65535) {
    result.failure = ProbeFailure::Resolve;
    result.detail = "invalid port " + std::to_string(request.port);
    co_return result;
  }
  const auto port = static_cast<unsigned short>(request.port);
  std::error_code ec;
  const asio::ip::address literal = asio::ip::make_address(request.host, ec);
  if (!ec) {
    result.endpoints.emplace_back(literal, port);
    co_return result;
  }
  const auto executor = co_await asio::this_coro::executor;
  tcp::resolver resolver(executor);
  Alarm deadline(executor, [&resolver] { resolver.cancel(); });
  deadline.ringAt(clock.deadline);
  const auto flags = tcp::resolver::numeric_service | tcp::resolver::address_configured;
  const auto found = co_await resolver.async_resolve(request.host, std::to_string(port), flags,
                                                     asio::redirect_error(asio::use_awaitable, ec));
  if (deadline.rang()) {
    result.failure = ProbeFailure::Timeout;
    result.detail = timeoutDetail(ProbeStage::Resolve, request.timeout);
  } else if (ec || found.empty()) {
    result.failure = ProbeFailure::Resolve;
    result.detail = ec ? describeResolveError(ec) : "the name has no address";
  }
  for (const auto& entry : found) keepUnique(result.endpoints, entry.endpoint());
  co_return result;
}

TlsProbeOutcome unresolved(Resolution resolution, const ProbeClock& clock) {
  TlsProbeOutcome outcome;
  outcome.failure = resolution.failure;
  outcome.stage = ProbeStage::Resolve;
  outcome.detail = std::move(resolution.detail);
  const std::chrono::duration<double> elapsed = SteadyClock::now() - clock.started;
  outcome.duration_seconds = elapsed.count();
  return outcome;
}

TlsProbeOutcome internalFailure(std::exception_ptr error) {
  TlsProbeOutcome outcome;
  outcome.failure = ProbeFailure::Handshake;
  outcome.detail = "internal error";
  try {
    std::rethrow_exception(std::move(error));
  } catch (const std::exception& e) {
    outcome.detail += std::string(": ") + e.what();
  } catch (...) {
  }
  return outcome;
}

awaitable<TlsProbeOutcome> probeAddresses(const TlsProbeRequest& request,
                                          TlsContextCache::Context context, ProbeClock clock,
                                          std::vector<tcp::endpoint> candidates) {
  const asio::any_io_executor executor = co_await asio::this_coro::executor;
  TlsSession session(executor, request, context, clock);
  TlsProbeOutcome outcome = co_await session.run(candidates);
  co_return outcome;
}

// all_addresses: every address at once, each on its own connection, all under one deadline.
awaitable<std::vector<TlsProbeOutcome>> probeEachAddress(const TlsProbeRequest& request,
                                                         TlsContextCache::Context context,
                                                         ProbeClock clock,
                                                         const std::vector<tcp::endpoint>& all) {
  const auto executor = co_await asio::this_coro::executor;
  std::vector<TlsProbeOutcome> outcomes(all.size());
  std::size_t remaining = all.size();
  asio::steady_timer all_done(executor, SteadyClock::time_point::max());
  for (std::size_t i = 0; i < all.size(); ++i) {
    // The references stay valid: this frame waits below until every handler has run.
    auto store = [&outcomes, &remaining, &all_done, i](std::exception_ptr e, TlsProbeOutcome o) {
      outcomes[i] = e ? internalFailure(e) : std::move(o);
      if (--remaining == 0) all_done.cancel();
    };
    asio::co_spawn(executor, probeAddresses(request, context, clock, {all[i]}), store);
  }
  std::error_code ec;
  while (remaining > 0) {
    co_await all_done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  co_return outcomes;
}

awaitable<std::vector<TlsProbeOutcome>> probeRequest(const TlsProbeRequest& request,
                                                     TlsContextCache& contexts) {
  const auto started = SteadyClock::now();
  const ProbeClock clock{started, started + request.timeout};
  Resolution resolution = co_await resolve(request, clock);
  if (resolution.failure != ProbeFailure::None) {
    co_return std::vector<TlsProbeOutcome>{unresolved(std::move(resolution), clock)};
  }
  const TlsContextCache::Context context = contexts.get(request.client);
  if (request.all_addresses && resolution.endpoints.size() > 1) {
    co_return co_await probeEachAddress(request, context, clock, resolution.endpoints);
  }
  std::vector<TlsProbeOutcome> outcomes;
  outcomes.push_back(co_await probeAddresses(request, context, clock, resolution.endpoints));
  co_return outcomes;
}

}  // namespace

// One event loop per CPU (at most kMaxLoops): a handshake costs CPU (mostly libssl decoding
// certificates and checking signatures), so one loop caps a sweep at one core. Each loop owns its
// io_context and SSL_CTX cache (nothing is shared between threads but the request index), and
// the concurrency limit is split between the loops.
constexpr std::size_t kMaxLoops = 4;

struct TlsProber::Impl {
  struct Loop {
    asio::io_context io{1};  // one thread runs each loop: no locking inside Asio
    TlsContextCache contexts;
  };

  explicit Impl(const ProbeLimits& limits)
      : concurrency(static_cast<std::size_t>(std::max(limits.in_flight, 1))) {
    const std::size_t cpus = std::max(1U, std::thread::hardware_concurrency());
    const std::size_t wanted = limits.loops > 0 ? static_cast<std::size_t>(limits.loops) : cpus;
    const std::size_t count = std::min({wanted, kMaxLoops, concurrency});
    for (std::size_t i = 0; i < count; ++i) loops.push_back(std::make_unique<Loop>());
  }

  std::size_t concurrency;
  std::vector<std::unique_ptr<Loop>> loops;
};

/// One probeAll() in progress: the requests, where their outcomes go, and the shared cursor.
struct TlsProber::Batch {
  const std::vector<TlsProbeRequest>& requests;
  std::vector<std::vector<TlsProbeOutcome>>& results;
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> finished{0};
};

TlsProber::TlsProber(ProbeLimits limits) : impl_(std::make_unique<Impl>(limits)) {}
TlsProber::~TlsProber() = default;

std::size_t TlsProber::loops() const { return impl_->loops.size(); }

void TlsProber::runLoop(std::size_t index, Batch& batch, const std::function<void()>& heartbeat) {
  Impl::Loop& loop = *impl_->loops[index];
  const std::size_t total = batch.requests.size();
  asio::steady_timer beat(loop.io);
  // The systemd watchdog must hear from the scheduler while a long batch runs (tarpits hold a
  // slot for a whole deadline): beat every few seconds until the last probe ends.
  std::function<void()> keepBeating = [&] {
    beat.expires_after(kHeartbeatEvery);
    beat.async_wait([&](const std::error_code& ec) {
      if (ec || batch.finished.load() == total) return;
      heartbeat();
      keepBeating();
    });
  };
  // Each finished probe starts the next one, so each loop keeps at most its share in flight.
  std::function<void()> launch = [&] {
    const std::size_t i = batch.next.fetch_add(1);
    if (i >= total) {
      beat.cancel();  // nothing left for this loop to start: stop beating once it drains
      return;
    }
    asio::co_spawn(loop.io, probeRequest(batch.requests[i], loop.contexts),
                   [&, i](std::exception_ptr e, std::vector<TlsProbeOutcome> outcomes) {
                     if (e) outcomes = {internalFailure(e)};
                     batch.results[i] = std::move(outcomes);
                     batch.finished.fetch_add(1);
                     launch();
                   });
  };
  const std::size_t loops = impl_->loops.size();
  const std::size_t share = (impl_->concurrency + loops - 1 - index) / loops;  // sums to the limit
  loop.io.restart();
  if (heartbeat && index == 0) keepBeating();
  for (std::size_t k = 0; k < std::max<std::size_t>(share, 1); ++k) launch();
  loop.io.run();
}

std::vector<std::vector<TlsProbeOutcome>> TlsProber::probeAll(
    const std::vector<TlsProbeRequest>& requests, const std::function<void()>& heartbeat) {
  std::vector<std::vector<TlsProbeOutcome>> results(requests.size());
  if (requests.empty()) return results;
  Batch batch{requests, results};
  // Small batches (one /probe, a `check` of a few targets) stay on the calling thread.
  const std::size_t loops = std::min(impl_->loops.size(), requests.size());
  std::vector<std::thread> helpers;
  for (std::size_t i = 1; i < loops; ++i) {
    helpers.emplace_back([this, i, &batch] { runLoop(i, batch, {}); });
  }
  runLoop(0, batch, heartbeat);
  // The other loops may still hold probes (each ends within its deadline): keep beating.
  auto last_beat = std::chrono::steady_clock::now();
  while (heartbeat && batch.finished.load() < requests.size()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (std::chrono::steady_clock::now() - last_beat >= kHeartbeatEvery) {
      heartbeat();
      last_beat = std::chrono::steady_clock::now();
    }
  }
  for (std::thread& t : helpers) t.join();
  return results;
}

std::string_view toString(ProbeStage stage) {
  switch (stage) {
    case ProbeStage::Resolve:
      return "resolve";
    case ProbeStage::Connect:
      return "connect";
    case ProbeStage::StartTls:
      return "starttls";
    case ProbeStage::Handshake:
      return "handshake";
    case ProbeStage::AfterHandshake:
      return "after_handshake";
    case ProbeStage::Done:
      return "done";
  }
  return "unknown";
}

std::string_view toString(ProbeFailure failure) {
  switch (failure) {
    case ProbeFailure::None:
      return "none";
    case ProbeFailure::Resolve:
      return "resolve";
    case ProbeFailure::Connect:
      return "connect";
    case ProbeFailure::Timeout:
      return "timeout";
    case ProbeFailure::StartTls:
      return "starttls";
    case ProbeFailure::Handshake:
      return "handshake";
  }
  return "unknown";
}

}  // namespace certvigil::probers
