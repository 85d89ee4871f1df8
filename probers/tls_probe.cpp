#include "probers/tls_probe.h"

#include <algorithm>
#include <exception>
#include <functional>

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

struct TlsProber::Impl {
  explicit Impl(int limit) : concurrency(static_cast<std::size_t>(std::max(limit, 1))) {}

  std::size_t concurrency;
  asio::io_context io{1};  // one thread runs the loop: no locking inside Asio
  TlsContextCache contexts;
};

TlsProber::TlsProber(int concurrency) : impl_(std::make_unique<Impl>(concurrency)) {}
TlsProber::~TlsProber() = default;

std::vector<std::vector<TlsProbeOutcome>> TlsProber::probeAll(
    const std::vector<TlsProbeRequest>& requests, const std::function<void()>& heartbeat) {
  std::vector<std::vector<TlsProbeOutcome>> results(requests.size());
  std::size_t next = 0;
  std::size_t finished = 0;
  asio::steady_timer beat(impl_->io);
  // The systemd watchdog must hear from the scheduler while a long batch runs (tarpits hold a
  // slot for a whole deadline): beat every few seconds until the last probe ends.
  std::function<void()> keepBeating = [&] {
    beat.expires_after(kHeartbeatEvery);
    beat.async_wait([&](const std::error_code& ec) {
      if (ec || finished == requests.size()) return;
      heartbeat();
      keepBeating();
    });
  };
  // Each finished probe starts the next one, so at most `concurrency` are ever in flight.
  std::function<void()> launch = [&] {
    if (next >= requests.size()) return;
    const std::size_t i = next++;
    asio::co_spawn(impl_->io, probeRequest(requests[i], impl_->contexts),
                   [&, i](std::exception_ptr e, std::vector<TlsProbeOutcome> outcomes) {
                     if (e) outcomes = {internalFailure(e)};
                     results[i] = std::move(outcomes);
                     if (++finished == requests.size()) beat.cancel();
                     launch();
                   });
  };
  impl_->io.restart();
  if (heartbeat && !requests.empty()) keepBeating();
  for (std::size_t k = 0; k < impl_->concurrency && k < requests.size(); ++k) launch();
  impl_->io.run();
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
