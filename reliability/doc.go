// Package reliability holds the SDK's cross-provider reliability and
// security tests; it has no code of its own.
//
// The tests run every provider package against its public fake:
//
//   - faults: walks of at least 10,000 items with 30% of requests failing in
//     every way the fakes can fail (429 with Retry-After, 500, 502, 503, 504,
//     dropped connections, truncated bodies, slow answers) return exactly the
//     fault-free items, in order, with and without a client-side rate limit;
//   - deadlines: whatever the server does (hang, ask for a long Retry-After,
//     trickle a body), a call or walk returns within a small margin of its
//     context's deadline;
//   - leaks: no goroutine outlives the tests, and a sequential walk of many
//     pages, errors included, keeps reusing one connection;
//   - credentials and bad input: secrets never leave through errors, logs or
//     foreign hosts, and invalid parameters fail before any request.
package reliability
