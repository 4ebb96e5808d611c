/** Well-known ports the library uses in more than one part. */

/**
 * The HTTPS port: the frontend's TLS listener (what an `https://` URL without a port reaches), and
 * egress to the Kubernetes API, the AWS APIs and Helm repositories, which all speak HTTPS on it.
 */
export const TLS_PORT = 443;

/** The HTTP port: the frontend's plain listener. */
export const HTTP_PORT = 80;
