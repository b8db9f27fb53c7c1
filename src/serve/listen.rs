//! Choosing where to listen: `--bind` (an address or a host name), the port or the next
//! free one, and the URL to print, which must be one a reader can open.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, ToSocketAddrs, UdpSocket};

use anyhow::{Context, Result, anyhow, bail};

/// How many ports from the asked one are tried when it is busy.
const PORT_TRIES: u16 = 20;

/// A bound listener, and how to name it.
pub struct Listening {
    pub listener: TcpListener,
    pub port: u16,
    /// The asked port, when it was busy and another was taken.
    pub busy_port: Option<u16>,
    /// The host of the printed URL (`127.0.0.1`, `localhost`, a LAN address, `[::1]`).
    pub host: String,
    /// Listening on every interface (`0.0.0.0`, `::`).
    pub all_interfaces: bool,
}

/// Binds `bind` at `port`, or the next free port of the [`PORT_TRIES`] from it; port 0
/// lets the system choose.
pub fn listen(bind: &str, port: u16) -> Result<Listening> {
    let ips = addresses(bind)?;
    let last = port.saturating_add(PORT_TRIES - 1);
    let ports = if port == 0 { 0..=0 } else { port..=last };
    for candidate in ports {
        let mut error = None;
        for ip in &ips {
            match TcpListener::bind(SocketAddr::new(*ip, candidate)) {
                Ok(listener) => {
                    let actual = listener.local_addr()?.port();
                    let all_interfaces = ip.is_unspecified();
                    let host = if all_interfaces {
                        lan_host(ip.is_ipv6())
                    } else if bind.parse::<IpAddr>().is_ok() {
                        url_host(*ip)
                    } else {
                        bind.to_string()
                    };
                    return Ok(Listening {
                        listener,
                        port: actual,
                        busy_port: (port != 0 && actual != port).then_some(port),
                        host,
                        all_interfaces,
                    });
                }
                Err(e) => error = Some(e),
            }
        }
        match error {
            Some(e) if e.kind() == std::io::ErrorKind::AddrInUse => continue,
            Some(e) => {
                return Err(e).with_context(|| format!("cannot listen on {bind}:{candidate}"));
            }
            None => break,
        }
    }
    if port == last {
        bail!("port {port} is busy: choose another with --port");
    }
    bail!("ports {port} to {last} are all busy: choose another with --port")
}

/// The addresses of `bind`, IPv4 first: browsers try both for `localhost`, and tools
/// given `127.0.0.1` then reach it too.
fn addresses(bind: &str) -> Result<Vec<IpAddr>> {
    if let Ok(ip) = bind.parse::<IpAddr>() {
        return Ok(vec![ip]);
    }
    let mut ips: Vec<IpAddr> = (bind, 0)
        .to_socket_addrs()
        .with_context(|| format!("cannot resolve --bind {bind}"))?
        .map(|a| a.ip())
        .collect();
    ips.sort_by_key(IpAddr::is_ipv6);
    ips.dedup();
    if ips.is_empty() {
        return Err(anyhow!("--bind {bind} has no address"));
    }
    Ok(ips)
}

fn url_host(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    }
}

/// A name other machines can reach this one by: the address of the interface that
/// routes outwards, or else the host name.
fn lan_host(ipv6: bool) -> String {
    lan_address(ipv6)
        .map(url_host)
        .or_else(host_name)
        .unwrap_or_else(|| {
            url_host(if ipv6 {
                Ipv6Addr::LOCALHOST.into()
            } else {
                Ipv4Addr::LOCALHOST.into()
            })
        })
}

/// Connecting a UDP socket sends nothing: it only asks the system which local address
/// a packet to a non-local address (a documentation one) would leave from.
fn lan_address(ipv6: bool) -> Option<IpAddr> {
    let (local, remote): (IpAddr, IpAddr) = if ipv6 {
        (Ipv6Addr::UNSPECIFIED.into(), "2001:db8::1".parse().ok()?)
    } else {
        (
            Ipv4Addr::UNSPECIFIED.into(),
            Ipv4Addr::new(198, 51, 100, 1).into(),
        )
    };
    let socket = UdpSocket::bind(SocketAddr::new(local, 0)).ok()?;
    socket.connect(SocketAddr::new(remote, 9)).ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_unspecified() && !ip.is_loopback()).then_some(ip)
}

fn host_name() -> Option<String> {
    let out = std::process::Command::new("hostname").output().ok()?;
    let name = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_zero_is_the_systems_choice_and_not_busy() {
        let l = listen("127.0.0.1", 0).unwrap();
        assert_ne!(l.port, 0);
        assert_eq!(l.busy_port, None);
        assert_eq!(l.host, "127.0.0.1");
    }

    #[test]
    fn a_busy_port_moves_on_and_the_last_port_is_tried() {
        let taken = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        let l = listen("127.0.0.1", port).unwrap();
        assert_eq!(l.busy_port, Some(port));
        assert!(l.port > port && l.port < port.saturating_add(PORT_TRIES));
        match listen("127.0.0.1", 65535) {
            Ok(l) => assert_eq!(l.port, 65535),
            Err(e) => assert_eq!(
                e.to_string(),
                "port 65535 is busy: choose another with --port"
            ),
        }
    }

    #[test]
    fn a_host_name_is_resolved_and_kept_in_the_url() {
        let l = listen("localhost", 0).unwrap();
        assert_eq!(l.host, "localhost");
        assert!(l.listener.local_addr().unwrap().ip().is_loopback());
        assert!(listen("no-such-host.invalid", 0).is_err());
    }

    #[test]
    fn every_interface_is_named_by_an_address_others_can_reach() {
        let l = listen("0.0.0.0", 0).unwrap();
        assert!(l.all_interfaces);
        assert_ne!(l.host, "0.0.0.0");
        if let Ok(ip) = l.host.parse::<IpAddr>() {
            // An address of this machine: it can be listened on.
            TcpListener::bind(SocketAddr::new(ip, 0)).unwrap();
        }
    }
}
