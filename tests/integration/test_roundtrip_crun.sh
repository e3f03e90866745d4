ROUNDTRIP_RUNTIME=crun
source "$here/test_roundtrip_runc.sh"
