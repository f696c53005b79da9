"""confgen.extract.ksa on fixture repositories (tests/extract/fixtures/ksa, our own code
imitating keystoneauth's and the services' idioms), then spot checks on the real mirrors."""

from __future__ import annotations

import pytest
from gitfixture import FIXTURES, make_repo, mirror

from confgen.extract.gitread import GitRepo
from confgen.extract.ksa import (
    ADAPTER,
    AUTH,
    SESSION,
    entry_points,
    ksa_groups,
    read_keystoneauth,
    read_keystoneclient,
)


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    root = tmp_path_factory.mktemp("ksa")
    return make_repo(root, {"9.0.0": FIXTURES / "ksa/lib"})


@pytest.fixture(scope="module")
def cat(lib):
    return read_keystoneauth(lib, "9.0.0")


def _names(opts):
    return [o.name for o in opts]


def test_entry_points_from_setup_cfg_and_pyproject(lib):
    eps = entry_points(GitRepo(lib), "9.0.0", "keystoneauth1.plugin")
    assert eps["password"] == "keystoneauth1.loading._plugins.identity.generic:Password"
    assert eps["kerb"] == "keystoneauth1.loading._plugins.identity.v3:Kerb"
    assert len(eps) == 7


def test_session_adapter_and_common_options(cat):
    assert _names(cat.session) == ["cafile", "insecure", "timeout", "split_loggers"]
    assert [(o.name, o.type, o.default) for o in cat.session][1:3] == [
        ("insecure", "bool", False), ("timeout", "float", None)]
    assert [(o.name, o.cond) for o in cat.adapter] == [
        ("service_type", None), ("valid_interfaces", None), ("interface", "include_deprecated")]
    assert cat.adapter[2].deprecated
    assert [(o.name, o.old) for o in cat.auth_common] == [
        ("auth_type", [(None, "auth_plugin")]), ("auth_section", [])]
    assert cat.source(cat.session[0]) == \
        "openstack/keystoneauth:keystoneauth1/loading/session.py@9.0.0"


def test_plugin_options_follow_super_chains_helpers_and_reexports(cat):
    pw = cat.plugins["password"]
    # BaseIdentity (auth-url) -> BaseScoped (+=) -> helper extending its argument -> append
    assert _names(pw.opts) == ["auth_url", "project_id", "project_name", "user_id", "username",
                               "password"]
    by = {o.name: o for o in pw.opts}
    assert by["project_id"].old == [(None, "tenant_id")]  # dashed deprecated -> underscores
    assert by["username"].old == [(None, "user_name")]
    assert by["password"].secret and by["password"].default is None  # not given to oslo
    assert by["password"].loader_default == "ignored"
    assert by["auth_url"].path == "keystoneauth1/loading/identity.py"
    assert by["password"].path == "keystoneauth1/loading/_plugins/identity/generic.py"


def test_dest_type_generic_base_and_stray_comma(cat):
    v3 = {o.name: o for o in cat.plugins["v3password"].opts}
    assert "user_domain_id" in v3  # `options.extend([...]),` (a tuple statement)
    assert v3["scope"].declared == "openid-scope" and v3["scope"].type == "int"
    assert "openid_scope" not in v3


def test_run_time_condition_is_a_warning_not_a_guess(cat):
    multi = _names(cat.plugins["v3multi"].opts)
    assert "auth_methods" in multi and "only_at_run_time" not in multi
    assert any("self._methods" in w and "v3.py" in w for w in cat.warnings)


def test_filter_duplicates_insert_and_availability(cat):
    filtered = _names(cat.plugins["v3filtered"].opts)
    assert "scope" not in filtered and filtered[-1] == "extra"
    legacy = cat.plugins["v3legacy"].opts
    assert _names(legacy) == ["auth_url"]
    assert any("auth_url defined twice" in w for w in cat.warnings)
    kerb = cat.plugins["kerb"]
    assert _names(kerb.opts) == ["mutual_auth", "auth_url"]  # insert(0, ...)
    assert kerb.available_if == "keystoneauth1.loading._plugins.identity.v3.Kerb.available"
    assert cat.plugins["password"].available_if is None
    assert "broken" not in cat.plugins
    assert any("plugin broken" in w for w in cat.warnings)


def test_plugins_reading(cat):
    reading = cat.plugins_reading()
    assert reading["password"] == ["password", "v3filtered", "v3multi", "v3password"]
    assert reading["mutual_auth"] == ["kerb"]
    assert reading["auth_url"] == sorted(cat.plugins)


def test_library_absent_at_ref(tmp_path):
    repo = make_repo(tmp_path, {"0.1.0": {"keystoneauth1/__init__.py": ""}})
    cat = read_keystoneauth(repo, "0.1.0")
    assert not cat.plugins and any("does not exist" in w for w in cat.warnings)
    ksc = read_keystoneclient(repo, "0.1.0")
    assert not ksc.plugins and any("no auth plugin" in w for w in ksc.warnings)


# ---- the service side ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def groups(tmp_path_factory):
    root = tmp_path_factory.mktemp("svc")
    repo = make_repo(root, {"stable/x": FIXTURES / "ksa/svc"})
    return ksa_groups(repo, "stable/x", "proj")


def test_wrapper_with_group_parameter_and_conditions(groups):
    net = groups.groups["network_service"]
    assert net.kinds == {SESSION, AUTH, ADAPTER} and net.registered
    assert net.library == "keystoneauth1"
    assert not net.adapter_deprecated  # include_deprecated=False inside the service's getter
    assert net.listed_plugins == ["password", "v3password"]
    assert any(s.startswith("proj/conf/network.py:") and "register_ksa_opts" in s
               for s in net.sources)
    img = groups.groups["image_service"]
    assert img.kinds == {SESSION, ADAPTER}  # include_auth=False
    assert img.deprecated_opts == {"cafile": [("ssl", "ca_file")],
                                   "insecure": [("image_service", "api_insecure")]}


def test_register_opts_of_getters_keystoneclient_and_loads(groups):
    assert groups.groups["compute_service"].kinds == {SESSION, AUTH}
    legacy = groups.groups["legacy_service"]
    assert legacy.kinds == {SESSION, AUTH} and legacy.library == "keystoneclient"
    loaded = groups.groups["only_loaded"]
    assert loaded.kinds == set() and loaded.loaded == {SESSION}
    sample = groups.groups["sample_only"]
    assert not sample.registered and sample.kinds == {SESSION}
    assert groups.kinds() == {
        "compute_service": {SESSION, AUTH}, "image_service": {SESSION, ADAPTER},
        "legacy_service": {SESSION, AUTH}, "network_service": {SESSION, AUTH, ADAPTER},
    }
    assert "from_a_test" not in groups.groups  # tests are not the service
    assert any("name.upper()" in w for w in groups.warnings)


# ---- the real thing (skipped without the mirrors) -------------------------------------------
def _mirror_or_skip(name):
    repo = mirror(name)
    if repo is None:
        pytest.skip(f"no mirror of openstack/{name}")
    return repo


@pytest.mark.slow
@pytest.mark.parametrize(("tag", "plugins", "adapter", "session"), [
    ("2.1.0", 9, 0, 5),     # liberty's pin: no adapter options yet
    ("3.17.4", 21, 13, 7),  # train
    ("5.10.0", 25, 14, 7),  # 2025.1
])
def test_real_keystoneauth(tag, plugins, adapter, session):
    cat = read_keystoneauth(_mirror_or_skip("keystoneauth"), tag)
    assert (len(cat.plugins), len(cat.adapter), len(cat.session)) == (plugins, adapter, session)
    pw = {o.name: o for o in cat.plugins["v3password"].opts}
    assert {"auth_url", "username", "password", "user_domain_name", "project_name"} <= set(pw)
    assert pw["password"].secret
    assert [o.name for o in cat.auth_common] == ["auth_type", "auth_section"]


@pytest.mark.slow
def test_real_keystoneclient_kilo():
    cat = read_keystoneclient(_mirror_or_skip("python-keystoneclient"), "1.6.0")
    assert [o.name for o in cat.auth_common] == ["auth_plugin", "auth_section"]
    assert len(cat.plugins) == 9 and "v3password" in cat.plugins
    assert [o.name for o in cat.session] == ["cafile", "certfile", "keyfile", "insecure",
                                             "timeout"]


@pytest.mark.slow
def test_real_nova_groups():
    g = ksa_groups(_mirror_or_skip("nova"), "stable/2025.1", "nova")
    kinds = g.kinds()
    assert kinds["neutron"] == {SESSION, ADAPTER, AUTH}
    assert kinds["glance"] == {SESSION, ADAPTER}
    assert kinds["service_user"] == {SESSION, AUTH}
    assert g.groups["glance"].deprecated_opts["keyfile"] == [("ssl", "key_file")]
    liberty = ksa_groups(mirror("nova"), "liberty-eol", "nova")
    assert liberty.groups["neutron"].library == "keystoneclient"
    assert liberty.kinds()["neutron"] == {SESSION, AUTH}


def test_options_for_a_group(cat, groups):
    img = {o.opt.name: o for o in cat.options_for(groups.groups["image_service"])}
    # session with the service's deprecated_opts; adapter without its deprecated option
    assert img["cafile"].opt.old == [("ssl", "ca_file")] and img["cafile"].kind == SESSION
    assert "interface" not in img and img["service_type"].kind == ADAPTER
    assert "auth_type" not in img and "password" not in img  # include_auth=False
    net = {o.opt.name: o for o in cat.options_for(groups.groups["network_service"])}
    assert net["auth_type"].kind == AUTH and net["auth_type"].auth_plugins is None
    pw = net["password"]
    assert pw.kind == "plugin" and pw.opt.secret
    assert pw.auth_plugins == ["password", "v3filtered", "v3multi", "v3password"]
    assert net["auth_url"].auth_plugins == sorted(cat.plugins)
    assert pw.source.startswith("openstack/keystoneauth:keystoneauth1/loading/_plugins/")
