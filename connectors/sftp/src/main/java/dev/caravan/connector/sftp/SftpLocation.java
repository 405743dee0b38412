package dev.caravan.connector.sftp;

import dev.caravan.api.error.MigrationException;

/**
 * Where an SFTP store lives: {@code [user@]host[:port][/path]}. The user defaults to the local user name, the port
 * to 22 and the path to the login directory. The path after the host is absolute ({@code host/srv/data} is
 * {@code /srv/data}); a path starting with {@code /~} is relative to the login directory ({@code host/~/data}).
 * IPv6 addresses go in brackets: {@code alice@[::1]:2222/data}. The user may contain {@code @} (the last one
 * separates it from the host). Immutable.
 *
 * @param user login name
 * @param host host name or address (without brackets)
 * @param port TCP port
 * @param path directory on the server: absolute, or relative to the login directory (empty for the login
 *             directory itself); never ends with {@code /} except for {@code /} itself
 */
record SftpLocation(String user, String host, int port, String path) {

    static final int DEFAULT_PORT = 22;

    /** Parses a location; fails with {@code USER_CONFIG} and an example when it is malformed. */
    static SftpLocation parse(String location) {
        if (location == null || location.isBlank()) {
            throw bad(location, "it is empty");
        }
        String rest = location.trim();
        String user = System.getProperty("user.name", "root");
        int firstSlash = firstSlashOutsideBrackets(rest);
        int at = rest.lastIndexOf('@', firstSlash < 0 ? rest.length() - 1 : firstSlash);
        if (at >= 0) {
            user = rest.substring(0, at);
            rest = rest.substring(at + 1);
            if (user.isEmpty()) {
                throw bad(location, "the user before '@' is empty");
            }
        }
        String hostPort;
        String path;
        int slash = firstSlashOutsideBrackets(rest);
        if (slash < 0) {
            hostPort = rest;
            path = "";
        } else {
            hostPort = rest.substring(0, slash);
            path = rest.substring(slash);
        }
        String host;
        int port = DEFAULT_PORT;
        String portText = null;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw bad(location, "an IPv6 address needs a closing ']'");
            }
            host = hostPort.substring(1, close);
            String after = hostPort.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw bad(location, "expected ':port' after ']'");
                }
                portText = after.substring(1);
            }
        } else {
            int colon = hostPort.indexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            portText = colon < 0 ? null : hostPort.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw bad(location, "the host is empty");
        }
        if (portText != null) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw bad(location, "'" + portText + "' is not a port number (1-65535)");
            }
        }
        return new SftpLocation(user, host, port, normalizePath(path));
    }

    private static String normalizePath(String path) {
        String p = path;
        if (p.equals("/~") || p.startsWith("/~/")) {
            p = p.length() <= 3 ? "" : p.substring(3); // relative to the login directory
        }
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private static int firstSlashOutsideBrackets(String text) {
        boolean inBrackets = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '[') {
                inBrackets = true;
            } else if (c == ']') {
                inBrackets = false;
            } else if (c == '/' && !inBrackets) {
                return i;
            }
        }
        return -1;
    }

    private static MigrationException bad(String location, String problem) {
        return MigrationException.userConfig("not an SFTP location: '" + location + "' (" + problem
                + "); use [user@]host[:port][/path], e.g. sftp:alice@files.example.com:22/srv/data");
    }

    /** The remote path of a key: {@code path/key}, or {@code key} alone for the login directory. */
    String remote(String key) {
        if (path.isEmpty()) {
            return key;
        }
        return path.endsWith("/") ? path + key : path + "/" + key;
    }

    /** {@code host:port} for messages; IPv6 in brackets. */
    String hostPort() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** The store URI without secrets: {@code sftp:user@host:port/path}. */
    String uri() {
        String p = path.isEmpty() ? "/~" : path.startsWith("/") ? path : "/~/" + path;
        return SftpStoreProvider.SCHEME + ":" + user + "@" + hostPort() + p;
    }
}
