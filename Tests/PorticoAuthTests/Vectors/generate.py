#!/usr/bin/env python3
"""Generates the SigV4 verifier vectors in sigv4-vectors.json with the real botocore.

Why: PorticoAuth's verifier must accept exactly what the AWS CLI, boto3 and botocore-based tools
send. Rather than trusting our own reading of the SigV4 spec, every vector here is signed by
botocore itself, in two ways:

* through real botocore clients (apigateway, apigatewayv2, apigatewaymanagementapi), whose
  `before-send` hook captures the request exactly as it would go on the wire and answers it
  without any network; and
* through `botocore.auth.SigV4Auth` / `SigV4QueryAuth` on hand-built requests, for the edge cases
  a client never produces by itself (dot segments, repeated query keys, a `Date` header, folded
  header whitespace, `x-amz-content-sha256`).

The clock is frozen by patching `botocore.auth.get_current_datetime`, so running this again with
the same botocore gives the same signatures (only unsigned headers such as User-Agent, which
names this machine, can differ). Run from anywhere:

    python3 Tests/PorticoAuthTests/Vectors/generate.py

Each vector holds what the server sees: method, raw path and raw query (percent-encoding as on
the wire), the headers (including `Host`, which urllib3 adds after signing), the body, and the
credentials used. The Swift tests replay them through `SigV4Verifier`.
"""

import base64
import datetime
import hashlib
import json
import os
import sys
from urllib.parse import urlsplit

import botocore
import botocore.auth
import botocore.session
from botocore.auth import SigV4Auth, SigV4QueryAuth, _host_from_url
from botocore.awsrequest import AWSRequest, AWSResponse
from botocore.credentials import Credentials
from botocore.utils import percent_encode_sequence

OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'sigv4-vectors.json')

# Example credentials only (the AWS documentation's example key shape); nothing real.
KEY_A = ('AKIDPORTICOEXAMPLE01', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY')
KEY_B = ('AKIDPORTICOEXAMPLE02', 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY')
SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQ+example/token=='

ENDPOINT = 'http://localhost:4566'


class FrozenClock:
    """Replaces botocore.auth.get_current_datetime so that signatures are reproducible."""

    def __init__(self):
        self.now = None
        self._original = botocore.auth.get_current_datetime

    def __enter__(self):
        botocore.auth.get_current_datetime = lambda *args, **kwargs: self.now
        return self

    def __exit__(self, *exc):
        botocore.auth.get_current_datetime = self._original


def at(text):
    return datetime.datetime.strptime(text, '%Y%m%dT%H%M%SZ')


def body_bytes(body):
    if body is None:
        return b''
    if isinstance(body, str):
        return body.encode('utf-8')
    if hasattr(body, 'read'):
        position = body.tell()
        data = body.read()
        body.seek(position)
        return data
    return bytes(body)


def header_text(value):
    return value.decode('utf-8') if isinstance(value, bytes) else str(value)


def vector(name, kind, key, region, service, signed_at, method, url, headers, body):
    """Builds one vector from a request as it leaves botocore (after signing)."""
    parts = urlsplit(url)
    wire_headers = [[k, header_text(v)] for k, v in headers.items()]
    for pair in wire_headers:
        if pair[0].lower() == 'amz-sdk-invocation-id':
            # Random per call and never signed; fixed so that the file only changes for a reason.
            pair[1] = '00000000-0000-4000-8000-000000000000'
    if not any(k.lower() == 'host' for k, _ in wire_headers):
        # urllib3 adds Host after signing; botocore signed _host_from_url(url).
        wire_headers.insert(0, ['Host', _host_from_url(url)])
    data = body_bytes(body)
    if kind == 'header':
        auth = next(v for k, v in wire_headers if k.lower() == 'authorization')
        signature = auth.rsplit('Signature=', 1)[1]
    else:
        signature = next(
            p.split('=', 1)[1] for p in parts.query.split('&') if p.startswith('X-Amz-Signature=')
        )
    return {
        'name': name,
        'kind': kind,
        'accessKeyId': key[0],
        'secretAccessKey': key[1],
        'region': region,
        'service': service,
        'signedAt': signed_at,
        'method': method,
        'path': parts.path,
        'query': parts.query,
        'headers': wire_headers,
        'bodyBase64': base64.b64encode(data).decode('ascii'),
        'bodySHA256': hashlib.sha256(data).hexdigest(),
        'signature': signature,
    }


def client_vectors(clock):
    """Requests made by real botocore clients, captured in before-send."""
    session = botocore.session.get_session()
    captured = []

    def capture(request, **kwargs):
        captured.append(request)
        response = AWSResponse(request.url, 200, {}, None)
        response.raw = None
        return response

    def make(service, key=KEY_A, region='us-east-1', token=None, endpoint=ENDPOINT):
        client = session.create_client(
            service,
            region_name=region,
            endpoint_url=endpoint,
            aws_access_key_id=key[0],
            aws_secret_access_key=key[1],
            aws_session_token=token,
        )
        client.meta.events.register('before-send', capture)
        return client

    out = []

    def record(name, client, signed_at, call, signing_name):
        clock.now = at(signed_at)
        captured.clear()
        try:
            call(client)
        except Exception:
            # The fake 200 carries no body; parsing may fail after the request was captured.
            pass
        request = captured[-1]
        creds = client._request_signer._credentials
        out.append(
            vector(
                name,
                'header',
                (creds.access_key, creds.secret_key),
                client.meta.region_name,
                signing_name,
                signed_at,
                request.method,
                request.url,
                request.headers,
                request.body,
            )
        )

    apigw = make('apigateway')
    apigw_b = make('apigateway', key=KEY_B, region='eu-west-3')
    apigw_token = make('apigateway', token=SESSION_TOKEN, region='us-west-2')
    v2 = make('apigatewayv2')
    mgmt = make('apigatewaymanagementapi', endpoint='http://127.0.0.1:4510/prod')

    record('apigateway GetRestApis, no query', apigw, '20240102T030405Z',
           lambda c: c.get_rest_apis(), 'apigateway')
    record('apigateway GetRestApis, position token with reserved characters', apigw,
           '20240102T030406Z',
           lambda c: c.get_rest_apis(limit=25, position="a b+c/d~e=f&g?h#i:j@k$l'm,n;o*p(q)r!s%t"),
           'apigateway')
    record('apigateway GetResource, id with %2F, space and unicode', apigw, '20240102T030407Z',
           lambda c: c.get_resource(restApiId='abc123', resourceId='res/ü n!',
                                    embed=['methods', 'a,b']),
           'apigateway')
    record('apigateway CreateRestApi, POST JSON with unicode', apigw_b, '20240229T235959Z',
           lambda c: c.create_rest_api(name='pets — ünïcødé', description='tab\there "quoted"',
                                       endpointConfiguration={'types': ['REGIONAL']},
                                       tags={'team': 'a b', 'k/=': 'v+&'}),
           'apigateway')
    record('apigateway UpdateRestApi, PATCH JSON', apigw, '20240102T030408Z',
           lambda c: c.update_rest_api(restApiId='abc123', patchOperations=[
               {'op': 'replace', 'path': '/description', 'value': 'new ~ desc'}]),
           'apigateway')
    record('apigateway PutIntegration, PUT JSON on a {proxy+} resource', apigw, '20240102T030409Z',
           lambda c: c.put_integration(restApiId='abc123', resourceId='prx001', httpMethod='ANY',
                                       type='HTTP_PROXY', integrationHttpMethod='ANY',
                                       uri='http://example.com/{proxy}',
                                       requestParameters={
                                           'integration.request.path.proxy':
                                               'method.request.path.proxy'}),
           'apigateway')
    record('apigateway GetExport, map query and Accept header', apigw, '20240102T030410Z',
           lambda c: c.get_export(restApiId='abc123', stageName='prod v1', exportType='oas30',
                                  parameters={'extensions': 'integrations,authorizers',
                                              'a b': 'c&d=e'},
                                  accepts='application/yaml'),
           'apigateway')
    record('apigateway DeleteRestApi, session token signed', apigw_token, '20240102T030411Z',
           lambda c: c.delete_rest_api(restApiId='abc123'), 'apigateway')
    record('apigatewayv2 GetApis, paging', v2, '20240102T030412Z',
           lambda c: c.get_apis(MaxResults='10', NextToken='tok/+= ~x'), 'apigateway')
    record('apigatewayv2 GetStage $default', v2, '20240102T030413Z',
           lambda c: c.get_stage(ApiId='a1b2c3', StageName='$default'), 'apigateway')
    record('apigatewayv2 CreateRoute $default, POST JSON', v2, '20240102T030414Z',
           lambda c: c.create_route(ApiId='a1b2c3', RouteKey='$default',
                                    Target='integrations/xyz9'),
           'apigateway')
    record('apigatewayv2 UpdateRoute, PATCH JSON with path route key', v2, '20240102T030415Z',
           lambda c: c.update_route(ApiId='a1b2c3', RouteId='r0ut3',
                                    RouteKey='GET /pets/{petId}'),
           'apigateway')
    record('apigatewayv2 DeleteRouteRequestParameter, key with dots and $', v2, '20240102T030416Z',
           lambda c: c.delete_route_request_parameter(ApiId='a1b2c3', RouteId='r0ut3',
                                                      RequestParameterKey='route.request.header.$x'),
           'apigateway')
    record('apigatewaymanagementapi PostToConnection @connections, stage prefix', mgmt,
           '20240102T030417Z',
           lambda c: c.post_to_connection(ConnectionId='L0SM9cOFvHcCIhw=',
                                          Data=b'{"message":"hi \xe2\x9c\x93"}'),
           'execute-api')
    record('apigatewaymanagementapi GetConnection @connections', mgmt, '20240102T030418Z',
           lambda c: c.get_connection(ConnectionId='L0SM9cOFvHcCIhw='), 'execute-api')

    # A presigned URL from a real client (SigV4QueryAuth underneath).
    clock.now = at('20240102T030419Z')
    url = apigw.generate_presigned_url('get_rest_apis', Params={'limit': 5, 'position': 'p q/r'},
                                       ExpiresIn=300)
    out.append(vector('apigateway presigned GetRestApis (client.generate_presigned_url)',
                      'presigned', KEY_A, 'us-east-1', 'apigateway', '20240102T030419Z', 'GET',
                      url, {}, b''))
    return out


def raw_vectors(clock):
    """Hand-built requests signed with SigV4Auth / SigV4QueryAuth directly."""
    out = []

    def sign_header(name, key, region, service, signed_at, method, url, headers, body,
                    token=None):
        clock.now = at(signed_at)
        request = AWSRequest(method=method, url=url, data=body)
        pairs = headers.items() if isinstance(headers, dict) else headers
        for header_name, header_value in pairs:
            # HTTPHeaders appends on assignment, so repeated names stay repeated.
            request.headers[header_name] = header_value
        SigV4Auth(Credentials(key[0], key[1], token), service, region).add_auth(request)
        out.append(vector(name, 'header', key, region, service, signed_at, method, url,
                          request.headers, body))

    def sign_query(name, key, region, service, signed_at, method, url, expires, token=None):
        clock.now = at(signed_at)
        request = AWSRequest(method=method, url=url)
        SigV4QueryAuth(Credentials(key[0], key[1], token), service, region,
                       expires=expires).add_auth(request)
        out.append(vector(name, 'presigned', key, region, service, signed_at, method,
                          request.url, request.headers, b''))

    def query(pairs):
        return percent_encode_sequence(pairs)

    sign_header('raw GET, repeated keys, empty and bare values, sorted by value', KEY_A,
                'us-east-1', 'apigateway', '20240102T040000Z', 'GET',
                ENDPOINT + '/restapis/abc123/resources?' + query(
                    [('tag', 'b'), ('tag', 'a'), ('Tag', 'C'), ('a b', '1'), ('empty', ''),
                     ('_', 'x'), ('~', 'y'), ('z', 'ü')]) + '&flag',
                {}, b'')
    sign_header('raw GET, dot segments and double slashes in path', KEY_A, 'us-east-1',
                'apigateway', '20240102T040001Z', 'GET',
                ENDPOINT + '/restapis/./abc123//resources/../stages/', {}, b'')
    sign_header('raw GET, unicode and space in path (percent-encoded on the wire)', KEY_A,
                'us-east-1', 'apigateway', '20240102T040002Z', 'GET',
                ENDPOINT + '/restapis/%C3%BCn%C3%AFc%C3%B8d%C3%A9%20api/stages/%24default', {},
                b'')
    sign_header('raw POST, folded whitespace and repeated signed header', KEY_B, 'ap-south-1',
                'apigateway', '20240102T040003Z', 'POST', ENDPOINT + '/restapis',
                [('Content-Type', 'application/json'), ('X-Custom', '  a   b \t c  '),
                 ('x-custom', 'second'), ('X-Amz-Meta', 'x')], b'{"name":"folded"}')
    sign_header('raw PUT, Date header instead of X-Amz-Date', KEY_A, 'us-east-1', 'apigateway',
                '20240102T040004Z', 'PUT', ENDPOINT + '/tags/arn%3Aaws%3Aapigateway%3A%3A%2Fx',
                {'Date': 'placeholder', 'Content-Type': 'application/json'},
                b'{"tags":{"a":"b"}}')
    sign_header('raw POST, x-amz-content-sha256 with the body hash', KEY_A, 'us-east-1',
                'apigateway', '20240102T040005Z', 'POST', ENDPOINT + '/apikeys',
                {'Content-Type': 'application/json',
                 'X-Amz-Content-SHA256': hashlib.sha256(b'{"name":"k"}').hexdigest()},
                b'{"name":"k"}')
    sign_header('raw POST, x-amz-content-sha256 UNSIGNED-PAYLOAD', KEY_A, 'us-east-1',
                'apigateway', '20240102T040006Z', 'POST', ENDPOINT + '/apikeys',
                {'Content-Type': 'application/json', 'X-Amz-Content-SHA256': 'UNSIGNED-PAYLOAD'},
                b'{"name":"unsigned"}')
    sign_header('raw GET, Host with non-default port (botocore lower-cases the host it signs)', KEY_A,
                'us-east-1', 'apigateway', '20240102T040007Z', 'GET',
                'http://Portico.Example:8443/restapis', {}, b'')
    sign_header('raw DELETE, session token on a lambda-style path', KEY_B, 'eu-central-1',
                'apigateway', '20240102T040008Z', 'DELETE',
                ENDPOINT + '/restapis/abc123/stages/prod', {}, b'', token=SESSION_TOKEN)

    sign_query('raw presigned GET, operation query and session token', KEY_A, 'us-east-1',
               'apigateway', '20240102T050000Z', 'GET',
               ENDPOINT + '/restapis/abc123/stages?' + query([('b', '2'), ('a', 'x y')]), 900,
               token=SESSION_TOKEN)
    sign_query('raw presigned GET, @connections path', KEY_B, 'us-west-2', 'execute-api',
               '20240102T050001Z', 'GET', 'https://abc.execute-api.example/prod/@connections/c%3D1',
               60)
    return out


def main():
    with FrozenClock() as clock:
        vectors = client_vectors(clock) + raw_vectors(clock)
    document = {
        'generator': 'Tests/PorticoAuthTests/Vectors/generate.py',
        'botocore': botocore.__version__,
        'python': sys.version.split()[0],
        'vectors': vectors,
    }
    with open(OUTPUT, 'w', encoding='utf-8') as handle:
        json.dump(document, handle, indent=2, ensure_ascii=False)
        handle.write('\n')
    print(f'wrote {len(vectors)} vectors to {OUTPUT}')


if __name__ == '__main__':
    main()
