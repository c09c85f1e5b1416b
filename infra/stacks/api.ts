import { Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  HttpApi,
  type HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  type IHttpApi,
  LogGroupLogDestination,
  type ThrottleSettings,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { FIRM_AUDIENCE } from '../../shared/firm-issuer.ts';
import type { FunctionName } from '../../shared/functions.ts';
import { isFirm, isPublic, type RouteDef, routeKey, routes } from '../../shared/routes.ts';
import { AppFunction, type FunctionContext } from '../constructs/function.ts';

export interface ApiStackProps extends StackProps {
  /** The HTTP API created with the site (CloudFront needs its address first). */
  readonly httpApi: IHttpApi;
  /** The staff issuer: the stack's Cognito pool, or the external one of CDK context `oidcIssuer`. */
  readonly issuer: string;
  /** Client ids whose ID tokens the API accepts (the staff console's, at that issuer). */
  readonly audience: readonly string[];
  /**
   * The firm issuer, `<site URL>/api/public/firm-issuer`: the product's own (firm tokens signed by
   * the KMS key), whose discovery document and JWKS are public routes through CloudFront.
   */
  readonly firmIssuer: string;
  readonly functionContext: FunctionContext;
}

/** Every route of the stage, unless a route has its own limit. */
export const STAGE_THROTTLE: ThrottleSettings = { rateLimit: 50, burstLimit: 100 };
/** Each public route (no sign-in): anyone on the internet can call them. */
export const PUBLIC_ROUTE_THROTTLE: ThrottleSettings = { rateLimit: 20, burstLimit: 50 };

/** The functions that serve at least one route of `shared/routes.ts`. */
export const routedFunctions = (): FunctionName[] => [...new Set(routes.map((route) => route.fn))];

/**
 * The API behind `/api`: one function per routed entry of `shared/functions.ts`, one route
 * per entry of `shared/routes.ts`, a JWT authorizer of the staff issuer on every staff route and one
 * of the firm issuer on every firm route (so neither kind of token passes on the other's routes), and
 * the `$default` stage with throttling and access logs.
 */
export class ApiStack extends Stack {
  readonly functions: Partial<Record<FunctionName, AppFunction>> = {};

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    // Imported by id, so the routes, integrations and authorizer are created in this stack.
    const httpApi = HttpApi.fromHttpApiAttributes(this, 'HttpApi', {
      httpApiId: props.httpApi.apiId,
      apiEndpoint: props.httpApi.apiEndpoint,
    });

    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    for (const name of routedFunctions()) {
      const fn = new AppFunction(this, `Fn-${name}`, { name, context: props.functionContext });
      this.functions[name] = fn;
      integrations.set(name, new HttpLambdaIntegration(`Integration-${name}`, fn.fn));
    }

    // The id stays 'Cognito' whatever the issuer: renaming it would replace the deployed authorizer.
    const authorizer = new HttpJwtAuthorizer('Cognito', props.issuer, {
      jwtAudience: [...props.audience],
      identitySource: ['$request.header.Authorization'],
    });
    // Firm routes trust the firm issuer alone, for firm tokens alone (their audience).
    const firmAuthorizer = new HttpJwtAuthorizer('FirmIssuer', props.firmIssuer, {
      jwtAudience: [FIRM_AUDIENCE],
      identitySource: ['$request.header.Authorization'],
    });

    const publicRoutes: HttpRoute[] = [];
    for (const def of routes as readonly RouteDef[]) {
      const route = new HttpRoute(this, `Route-${def.id}`, {
        httpApi,
        routeKey: HttpRouteKey.with(def.path, def.method as HttpMethod),
        integration: integrations.get(def.fn) as HttpLambdaIntegration,
        authorizer: isPublic(def) ? undefined : isFirm(def) ? firmAuthorizer : authorizer,
      });
      if (isPublic(def)) {
        publicRoutes.push(route);
        Validations.of(route).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${routeKey(def)} is public by design (auth 'public' in shared/routes.ts); it is throttled per route at the stage.`,
        });
      }
    }

    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.functionContext.logRetention });
    const stage = new HttpStage(this, 'Stage', {
      httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: STAGE_THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });
    const cfnStage = stage.node.defaultChild as CfnStage;
    cfnStage.routeSettings = Object.fromEntries(
      routes
        .filter((def) => isPublic(def))
        .map((def) => [
          routeKey(def),
          {
            ThrottlingRateLimit: PUBLIC_ROUTE_THROTTLE.rateLimit,
            ThrottlingBurstLimit: PUBLIC_ROUTE_THROTTLE.burstLimit,
          },
        ]),
    );
    // Route settings may only name routes that exist.
    for (const route of publicRoutes) stage.node.addDependency(route);
  }
}
